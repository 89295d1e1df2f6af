// Signatures: webhook MACs (HMAC-SHA256 over the raw body bytes, read before any parsing) and the scheduler's secret,
// each compared in constant time.
import { HttpError } from "./errors.ts";

const encoder = new TextEncoder();

async function hmacSha256Hex(secret: string, parts: Uint8Array[]): Promise<string> {
  const key = await crypto.subtle.importKey("raw", encoder.encode(secret), { name: "HMAC", hash: "SHA-256" }, false, [
    "sign",
  ]);
  const length = parts.reduce((n, p) => n + p.length, 0);
  const data = new Uint8Array(length);
  let offset = 0;
  for (const p of parts) {
    data.set(p, offset);
    offset += p.length;
  }
  const mac = new Uint8Array(await crypto.subtle.sign("HMAC", key, data));
  return Array.from(mac, (b) => b.toString(16).padStart(2, "0")).join("");
}

/** Equal strings, in a time that depends on their lengths only. */
export function timingSafeEqual(a: string, b: string): boolean {
  const x = encoder.encode(a);
  const y = encoder.encode(b);
  let diff = x.length ^ y.length;
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    diff |= (x[i] ?? 0) ^ (y[i] ?? 0);
  }
  return diff === 0;
}

function reject(message: string): never {
  throw new HttpError(401, "invalid_signature", message);
}

/**
 * Stripe: `Stripe-Signature: t=<unix seconds>,v1=<hex>[,v1=<hex>…]`, the MAC of `<t>.<raw body>` with the endpoint's
 * signing secret (whsec_…); a timestamp further than `toleranceSeconds` from now is a replay.
 */
export async function verifyStripe(
  raw: Uint8Array,
  header: string | null,
  secret: string,
  toleranceSeconds = 300,
  nowSeconds = Math.floor(Date.now() / 1000),
): Promise<void> {
  if (header === null) reject("missing Stripe-Signature header");
  let timestamp: string | null = null;
  const signatures: string[] = [];
  for (const item of header.split(",")) {
    const [key, value] = item.trim().split("=", 2);
    if (key === "t") timestamp = value ?? null;
    if (key === "v1" && value) signatures.push(value);
  }
  if (timestamp === null || !/^\d+$/.test(timestamp) || signatures.length === 0) {
    reject("malformed Stripe-Signature header");
  }
  if (Math.abs(nowSeconds - Number(timestamp)) > toleranceSeconds) reject("timestamp outside the tolerance");
  const expected = await hmacSha256Hex(secret, [encoder.encode(timestamp + "."), raw]);
  if (!signatures.some((s) => timingSafeEqual(s, expected))) reject("signature mismatch");
}

/** GitHub: `X-Hub-Signature-256: sha256=<hex>`, the MAC of the raw body with the webhook's secret. */
export async function verifyGithub(raw: Uint8Array, header: string | null, secret: string): Promise<void> {
  if (header === null || !header.startsWith("sha256=")) reject("missing or malformed X-Hub-Signature-256 header");
  const expected = "sha256=" + await hmacSha256Hex(secret, [raw]);
  if (!timingSafeEqual(header, expected)) reject("signature mismatch");
}

/** A generic scheme: the header holds the hex MAC of the raw body, optionally prefixed `sha256=`. */
export async function verifyHmac(raw: Uint8Array, header: string | null, secret: string): Promise<void> {
  if (header === null || header.trim() === "") reject("missing signature header");
  const given = header.trim().replace(/^sha256=/, "");
  const expected = await hmacSha256Hex(secret, [raw]);
  if (!timingSafeEqual(given.toLowerCase(), expected)) reject("signature mismatch");
}

/** The scheduler's shared secret (pg_cron sends it from Vault), compared in constant time. */
export function verifySecretHeader(header: string | null, secret: string): void {
  if (header === null || !timingSafeEqual(header, secret)) {
    throw new HttpError(401, "unauthorized", "missing or wrong scheduler secret");
  }
}
