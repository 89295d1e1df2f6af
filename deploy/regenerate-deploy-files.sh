#!/usr/bin/env bash
# Regenerates the deployment files committed at the repository root (README "Deploy"): runs the deployment job of
# deploy/examples/deploy-this-repository.yaml on this repository through the local stack, as a user would
# (./backend-team run … --files .), and copies what the ops specialist delivered into the work tree: every
# Dockerfile and Dockerfile.native, .dockerignore, .railway/ and DEPLOY.md. The workflow it also delivers
# (.github/workflows/deploy.yml) is not copied: README "Deploy" says why. deploy/e2e OpsIT and specialist-ops'
# CommittedDeployFilesTest fail when the committed files differ from a fresh job's, and name this script.
# Needs what ./backend-team needs (a JDK 17+). The launcher builds only what is missing: after changing the ops
# engine or a service's configuration, run ./mvnw -DskipTests install first, or the job runs the previous build.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
"$root/backend-team" run "$root/deploy/examples/deploy-this-repository.yaml" --files "$root" --out "$out" >"$out/report.txt"
copied=0
while IFS= read -r -d '' file; do
  rel="${file#"$out"/}"
  case "$rel" in
    */Dockerfile | */Dockerfile.native | Dockerfile | Dockerfile.native | .dockerignore | .railway/* | DEPLOY.md)
      mkdir -p "$root/$(dirname "$rel")"
      cp "$file" "$root/$rel"
      echo "regenerated $rel"
      copied=$((copied + 1))
      ;;
  esac
done < <(find "$out" -type f -print0 | sort -z)
if [[ "$copied" -eq 0 ]]; then
  echo "regenerate-deploy-files: the job delivered no deployment file; its report:" >&2
  cat "$out/report.txt" >&2
  exit 1
fi
