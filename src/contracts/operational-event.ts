/**
 * One message on `<prefix>.webhooks.operational` (key: the webhook id), for operators' alerting:
 * - `webhook.disabled` {reason: "gone" (a 410), "failing" (WEBHOOK_DISABLE_AFTER_HOURS of nothing but failures), "manual"}
 * - `webhook.enabled` (PATCH {"enabled": true})
 * - `delivery.dead_lettered` {event_id, event_type, attempts, reason}
 */
export interface OperationalEvent {
  type: 'webhook.disabled' | 'webhook.enabled' | 'delivery.dead_lettered';
  webhook_id: string;
  tenant_id: string;
  at: string;
  reason?: string;
  event_id?: string;
  event_type?: string;
  attempts?: number;
}
