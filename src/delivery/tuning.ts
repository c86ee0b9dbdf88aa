/**
 * The delivery path's tuning constants, each beside why it has its value (and the measurement that
 * decided it, where one did). What an operator may change is configuration (config/env.schema.ts);
 * these follow from how the pieces work together, not from a deployment. Comments elsewhere name
 * these constants instead of repeating their values.
 */

// Admission and concurrency (ConcurrencyGate, Deliverer).

/**
 * Messages a dispatcher process admits (taken from Kafka, work unfinished) per slot of
 * WEBHOOK_MAX_IN_FLIGHT; beyond that its consumers stop fetching. Admission counts a message when it
 * is taken, not when its attempt starts, so this bounds what waits in memory.
 */
export const ADMITTED_PER_SLOT = 4;

/**
 * A webhook's starting in-flight cap, and the cap it drops back to when an attempt times out or
 * cannot connect (never above WEBHOOK_MAX_IN_FLIGHT_PER_WEBHOOK). It bounds what hanging webhooks
 * hold: at the defaults, twenty of them hold at most 20 x 4 = 80 of the 256 global slots, and healthy
 * webhooks keep the rest (the isolation benchmark).
 */
export const MIN_CAP_PER_WEBHOOK = 4;

/**
 * How many WEBHOOK_MAX_QUEUE_WAIT_MS periods an attempt may wait for its webhook's slot while the
 * process itself is saturated (attempts wait for a global slot), before it is parked anyway. Parking
 * then only adds a produce and a fetch per job (the throughput bench parked 84-1,160 jobs per run
 * without this rule, 0 with it), but a webhook that answers slowly (under STALLED_ATTEMPT_MS) must not keep
 * its queue, and the offsets behind it, waiting for as long as the process stays busy.
 */
export const SATURATED_QUEUE_WAITS = 4;

/**
 * An attempt with no answer after this long marks its webhook stalled: over its cap, further attempts
 * are parked at once instead of waiting in memory (where they hold admission slots). Measured: without
 * it, 10% of webhooks hanging until the (default 10 s) timeout cut healthy throughput to 0.72x
 * (quick bench).
 */
export const STALLED_ATTEMPT_MS = 2_000;

/**
 * Parks of an attempt to an unreachable webhook (timeouts, refused connections) before the wait counts
 * as a failed attempt: the long saturation wait (WEBHOOK_MAX_SATURATION_WAIT_MS) is for endpoints that
 * answer, and a hanging one's backlog should walk its retry schedule, not cycle through the tiers for
 * all of that wait.
 */
export const MAX_UNREACHABLE_PARKS = 5;

// The request (HttpSender).

/** How much of the response body is kept for the caller (the test-send answer shows it). */
export const RESPONSE_KEEP_BYTES = 1024;

/** How much of a response body is read (then the socket is released). */
export const RESPONSE_CAP_BYTES = 4096;

// After a failed attempt (nextStep) and the retry tiers (RetryHandler, DispatcherService).

/** Jitter added to retries: up to this share of the delay, never subtracted (never earlier than the schedule). */
export const JITTER_SHARE = 0.1;

/** Retry-After values above this (one day) are taken for a mistake and ignored: the schedule applies. */
export const MAX_RETRY_AFTER_MS = 86_400_000;

/**
 * How far ahead of its due time a job is taken from a tier topic, before jitter. The partition is
 * paused until this long before the head job is due, so the fetch is done by then; jobs due within
 * the window wait in their work promise (a timer, not the handler) and fire at their due time, never
 * before. One resume thus serves every job due in the window instead of one fetch per job.
 *
 * Each tier adds JITTER_SHARE of its delay: jitter means a job behind a partition's head may be due
 * that much earlier than the head. Measured (quick benchmark, on a loaded machine) on the 25 s tier:
 * lateness p99 went from 2.2 s with this lookahead alone to 0.5 s with the jitter share added.
 */
export const TIER_LOOKAHEAD_MS = 250;

/** A tier consumer's fetch per partition: a paused tier partition is re-read from its head on resume, so each read is kept small. */
export const TIER_MAX_BYTES_PER_PARTITION = 256 * 1024;

// Operator and tenant tools beside the pipeline.

/** How long reading the whole dead-letter topic (`rift dlq list`/`replay`) may take before the command gives up. */
export const DLQ_READ_TIMEOUT_MS = 120_000;

/** The window of WEBHOOK_TEST_SENDS_PER_MINUTE. */
export const TEST_SEND_WINDOW_MS = 60_000;

/** Webhooks the test-send limiter tracks before it drops those with no send in the window (bounds its memory). */
export const TEST_SEND_PRUNE_AT = 10_000;
