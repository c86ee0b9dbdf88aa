import { HttpStatus, Injectable } from '@nestjs/common';
import { ApiError } from '../common/errors.js';
import { standardWebhooksSecret } from './secret-format.js';
import { isoSeconds } from '../common/time.js';
import { PrismaService } from '../prisma/prisma.service.js';
import type { RotatedSecretDto, RotationCompletedDto } from './dto/webhook.dto.js';
import { DEFAULT_OVERLAP_SECONDS, effectiveSecrets } from './secret-rotation.js';
import { newSecret, WebhooksService } from './webhooks.service.js';

const conflict = (message: string) => new ApiError(HttpStatus.CONFLICT, 'Conflict', message);

/**
 * Secret rotation with an overlap. During it the dispatcher signs X-Rift-Signature with the old
 * secret and X-Rift-Signature-Next (and a second `webhook-signature` entry) with the new one, so no
 * delivery fails verification while the receiver deploys the new secret; when the overlap ends (or
 * is completed) the new secret signs X-Rift-Signature and the -Next header goes. Changes reach the
 * dispatchers within WEBHOOK_CACHE_TTL_MS.
 */
@Injectable()
export class SecretRotationService {
  constructor(
    private readonly prisma: PrismaService,
    private readonly webhooks: WebhooksService,
  ) {}

  async rotate(tenantId: string, id: string, overlapSeconds = DEFAULT_OVERLAP_SECONDS): Promise<RotatedSecretDto> {
    const row = await this.webhooks.owned(tenantId, id);
    const now = new Date();
    const current = effectiveSecrets(row, now);
    if (current.next !== undefined) {
      throw conflict(
        `a secret rotation is in progress until ${isoSeconds(row.rotationEndsAt!)}; complete it first with POST /v1/webhooks/${id}/rotate-secret/complete`,
      );
    }
    const secret = newSecret();
    const sealed = this.webhooks.box.seal(secret, id);
    const endsAt = overlapSeconds > 0 ? new Date(now.getTime() + overlapSeconds * 1000) : null;
    // Conditional on the secrets read above, so two concurrent rotations cannot both win.
    const { count } = await this.prisma.webhook.updateMany({
      where: { id, tenantId, secretCiphertext: row.secretCiphertext, nextSecretCiphertext: row.nextSecretCiphertext },
      data: endsAt
        ? { secretCiphertext: current.current, nextSecretCiphertext: sealed, rotationEndsAt: endsAt }
        : { secretCiphertext: sealed, nextSecretCiphertext: null, rotationEndsAt: null },
    });
    if (count === 0) throw conflict("the webhook's secret changed meanwhile (another rotation?); try again");
    return { id, secret, standard_webhooks_secret: standardWebhooksSecret(secret), rotation_ends_at: endsAt && isoSeconds(endsAt) };
  }

  /** Ends the overlap now: the new secret signs X-Rift-Signature, the old one nothing. */
  async complete(tenantId: string, id: string): Promise<RotationCompletedDto> {
    const row = await this.webhooks.owned(tenantId, id);
    const current = effectiveSecrets(row, new Date());
    if (current.next === undefined) throw conflict(`no secret rotation of webhook ${id} is in progress`);
    const { count } = await this.prisma.webhook.updateMany({
      where: { id, tenantId, nextSecretCiphertext: current.next },
      data: { secretCiphertext: current.next, nextSecretCiphertext: null, rotationEndsAt: null },
    });
    if (count === 0) throw conflict("the webhook's secret changed meanwhile; try again");
    return { id, rotation: 'completed' };
  }
}
