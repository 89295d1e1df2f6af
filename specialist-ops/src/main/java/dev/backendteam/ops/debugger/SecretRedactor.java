package dev.backendteam.ops.debugger;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Masks secrets a log may carry — passwords in connection URLs, {@code password=…} and its kin, bearer and basic
 * credentials, JWTs, well-known API key shapes — before anything of the log is matched or reported, so no finding,
 * error text, statement or handoff repeats them.
 */
public final class SecretRedactor {
    public static final String MASK = "***";

    private record Rule(Pattern pattern, String replacement) {
    }

    private static final String SECRET_KEY = "(?:password|passwd|pwd|secret|token|api[_-]?key|apikey|access[_-]?key"
            + "|private[_-]?key|credentials?)";

    private static final List<Rule> RULES = List.of(
            // scheme://user:password@host (bounded classes: no backtracking over long runs)
            // (the password runs to the last @ before the host: base64 passwords hold / and +, some hold @)
            new Rule(Pattern.compile("(\\b[a-z][a-z0-9+.-]{0,30}://[^:/@\\s\"']{0,200}:)[^\\s\"']{1,200}@",
                    Pattern.CASE_INSENSITIVE),
                    "$1" + MASK + "@"),
            // a private key block, whole
            new Rule(Pattern.compile("-----BEGIN [A-Z ]{0,40}PRIVATE KEY-----[\\s\\S]{0,10000}?-----END [A-Z ]{0,40}"
                    + "PRIVATE KEY-----"), MASK),
            // SQL: create user app identified by 'x'
            new Rule(Pattern.compile("(\\bidentified\\s+by\\s+)'(?:[^'\\n]|''){0,500}'", Pattern.CASE_INSENSITIVE),
                    "$1'" + MASK + "'"),
            new Rule(Pattern.compile("(\\b(?:Bearer|Basic)\\s+|\\b(?i:authorization)\\W{1,4}Token\\s+)"
                    + "[A-Za-z0-9._~+/=-]{8,}"), "$1" + MASK),
            // SQL: alter role app with password 'x', create user app password 'x' ('' is a quote inside the value)
            new Rule(Pattern.compile("(\\bpassword\\s+)'(?:[^'\\n]|''){0,500}'", Pattern.CASE_INSENSITIVE),
                    "$1'" + MASK + "'"),
            new Rule(Pattern.compile("\\beyJ[A-Za-z0-9_-]{5,}\\.[A-Za-z0-9_-]{5,}\\.[A-Za-z0-9_-]{5,}"), MASK),
            // key=value, key: value, "key":"value" for keys that name a secret (PGPASSWORD, db_password, apiKey…)
            // (the match starts at the key word, so that a long run of word characters costs no backtracking)
            // a quoted value is masked up to its closing quote, spaces and all ('' and \" are quotes inside it)
            new Rule(Pattern.compile("(" + SECRET_KEY + "[\\w.-]{0,40}[\"']?\\s*[=:]\\s*)'(?:[^'\\n]|''){1,500}'",
                    Pattern.CASE_INSENSITIVE), "$1'" + MASK + "'"),
            new Rule(Pattern.compile("(" + SECRET_KEY + "[\\w.-]{0,40}[\"']?\\s*[=:]\\s*)\"(?:[^\"\\\\\\n]|\\\\.){1,500}\"",
                    Pattern.CASE_INSENSITIVE), "$1\"" + MASK + "\""),
            new Rule(Pattern.compile("(" + SECRET_KEY + "[\\w.-]{0,40}\\\\?[\"']?\\s*[=:]\\s*\\\\?[\"']?)"
                    + "(?!\\*\\*\\*)[^\\s\"'&;,)}\\\\]+", Pattern.CASE_INSENSITIVE), "$1" + MASK),
            new Rule(Pattern.compile("\\b(?:sk|rk)[-_](?:live[-_]|test[-_]|proj[-_]|ant[-_](?:api\\d+[-_])?)?"
                    + "[A-Za-z0-9_-]{16,}"), MASK),
            // key value, separated by spaces only (aws_secret_access_key wJalr…, x-api-key …): only a token-like
            // value with a digit, so that "password authentication failed" stays readable
            new Rule(Pattern.compile("(" + SECRET_KEY + "[\\w.-]{0,40}[ \\t]+)(?!\\*\\*\\*)(?=[A-Za-z0-9+/=_-]{0,200}\\d)"
                    + "[A-Za-z0-9+/=_-]{12,200}(?![A-Za-z0-9+/=_-])", Pattern.CASE_INSENSITIVE), "$1" + MASK),
            new Rule(Pattern.compile("\\b(?:ghp|gho|ghs|github_pat|glpat|xox[abpr]|sbp|sb_secret)[_-][A-Za-z0-9_-]{16,}"),
                    MASK),
            new Rule(Pattern.compile("\\bAKIA[0-9A-Z]{16}\\b"), MASK));

    private SecretRedactor() {
    }

    public static String redact(String text) {
        if (text == null) {
            return null;
        }
        String out = text;
        for (Rule rule : RULES) {
            Matcher m = rule.pattern().matcher(out);
            if (m.find()) {
                out = m.replaceAll(rule.replacement());
            }
        }
        return out;
    }
}
