export type EventType = 'click' | 'attribution' | 'conversion';
export const EVENT_TYPES: EventType[] = ['click', 'attribution', 'conversion'];

export interface Webhook {
  id: string;
  url: string;
  events: EventType[];
  created_at: string;
  status: 'active' | 'disabled';
  disabled_reason: string | null;
  disabled_at: string | null;
  health: { consecutive_failures: number; last_success_at: string | null; last_failure_at: string | null };
  rotation_ends_at: string | null;
}

export interface Attempt {
  attempt_id: string;
  event_id: string;
  event_type: EventType;
  attempt: number;
  tier: string;
  outcome: 'succeeded' | 'failed';
  status_code: number | null;
  error: string | null;
  next: string;
  duration_ms: number;
  at: string;
  delivered_at?: string | null;
}

export interface Page<T> {
  data: T[];
  next_cursor: string | null;
}

export interface TestResult {
  event_id: string;
  event: EventType;
  succeeded: boolean;
  status_code: number | null;
  duration_ms: number;
  error: string | null;
  response_body: string | null;
}

export interface LinkSummary {
  link_id: string;
  clicks: number;
  attributions: number;
  conversions: number;
  last_event_at: string;
}

export interface LinkStats {
  link_id: string;
  clicks: number;
  attributions: number;
  conversions: number;
  conversions_by_type: Record<string, { count: number; amount_cents: Record<string, number | string> }>;
  revenue: Record<string, number | string>;
  first_event_at: string | null;
  last_event_at: string | null;
}

export interface SeriesPoint {
  at: string;
  clicks: number;
  attributions: number;
  conversions: number;
  revenue: Record<string, number | string>;
}

export interface Series {
  link_id: string;
  interval: 'hour' | 'day';
  from: string;
  to: string;
  points: SeriesPoint[];
}
