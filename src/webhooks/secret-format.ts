/** The Standard Webhooks form of a Rift secret (64 hex): whsec_ + base64 of its UTF-8 bytes. */
export function standardWebhooksSecret(secret: string): string {
  return `whsec_${Buffer.from(secret, 'utf8').toString('base64')}`;
}
