import { spawnSync } from 'node:child_process';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { Webhook as SvixWebhook } from 'svix';
import { Webhook } from 'standardwebhooks';
import type { ReceivedRequest } from './receiver.js';

/** The docs' Node verifier, verbatim (with a length check so a wrong-length header is false, not a throw). */
export function verifyWebhook(body: Buffer, signature: string, secret: string): boolean {
  const expected = createHmac('sha256', secret).update(body).digest('hex');
  return expected.length === signature.length && timingSafeEqual(Buffer.from(expected), Buffer.from(signature));
}

/** The docs' Python verifier, run by python3 on the raw bytes the receiver got. */
export function verifyWithPython(body: Buffer, signature: string, secret: string): boolean {
  const script = `
import hmac, hashlib, sys
def verify_webhook(body: bytes, signature: str, secret: str) -> bool:
    expected = hmac.new(
        secret.encode(),
        body,
        hashlib.sha256
    ).hexdigest()
    return hmac.compare_digest(expected, signature)
body = sys.stdin.buffer.read()
print("valid" if verify_webhook(body, sys.argv[1], sys.argv[2]) else "invalid")
`;
  const r = spawnSync('python3', ['-c', script, signature, secret], { input: body, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
  return r.stdout.trim() === 'valid';
}

const stringHeaders = (r: ReceivedRequest) => Object.fromEntries(Object.entries(r.headers).filter(([, v]) => typeof v === 'string')) as Record<string, string>;

/** `new Webhook(whsec).verify(body, headers)` of the official standardwebhooks package. */
export function verifyStandard(r: ReceivedRequest, whsec: string): boolean {
  try {
    new Webhook(whsec).verify(r.body.toString('utf8'), stringHeaders(r));
    return true;
  } catch {
    return false;
  }
}

/** The same through the svix package (which throws on a bad signature). */
export function verifySvix(r: ReceivedRequest, whsec: string): boolean {
  try {
    new SvixWebhook(whsec).verify(r.body.toString('utf8'), stringHeaders(r));
    return true;
  } catch {
    return false;
  }
}

/** The README's one-line derivation for webhooks created before the whsec_ form was returned. */
export const toWhsec = (secret: string) => `whsec_${Buffer.from(secret).toString('base64')}`;
