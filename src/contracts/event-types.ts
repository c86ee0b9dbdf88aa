/** The event vocabulary of the published docs: what producers publish and tenants subscribe to. */
export const EVENT_TYPES = ['click', 'attribution', 'conversion'] as const;
export type EventType = (typeof EVENT_TYPES)[number];
