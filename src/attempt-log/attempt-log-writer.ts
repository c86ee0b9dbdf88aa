import { Injectable, Logger } from '@nestjs/common';
import { withTimeout } from '../common/timeout.js';
import type { AttemptRecord } from '../contracts/attempt-record.js';
import { EndpointHealth } from '../endpoint-health/endpoint-health.js';
import { DurableSender } from '../kafka/durable-sender.js';
import { Topics } from '../kafka/topics.js';
import { AttemptLogStore } from './attempt-log.store.js';

/** Most records per INSERT (one statement, unnest of arrays). */
const MAX_BATCH = 500;

/**
 * How long the first record of a batch waits for others. Inserts run one at a time, so under load
 * the records that arrive during an insert make the next batch (at 1,000 attempts/s, one statement
 * holds about 20-50). An attempt's offset waits for its record: this is the least it waits.
 */
const LINGER_MS = 20;

/**
 * An insert that has not answered by then counts as failed: its batch goes to the attempts topic
 * (the insert itself runs on; it is idempotent, so a late success stores the rows once). A healthy
 * database answers a 500-row insert in milliseconds; this only catches a hung or locked one, and
 * bounds how long deliveries may wait on the database before the writer stops asking it.
 */
const WRITE_TIMEOUT_MS = 2_000;

/**
 * After an insert failed or timed out, batches go straight to the attempts topic for at least this
 * long, and until that insert has settled (or GIVE_UP_ON_QUERY_MS passed): the writer holds at most
 * one connection for inserts and one for health folds, so a hung database cannot take the pool the
 * webhook lookups need.
 */
const SPILL_FOR_MS = 5_000;

/** A health fold not answered by then is handed to the attempt-log consumer (which retries it). */
const FOLD_TIMEOUT_MS = 5_000;

/** Records stored but not yet folded into endpoint health; past this, batches are folded by the consumer instead of queueing here. */
const MAX_FOLD_BACKLOG = 10_000;

/**
 * A query that has neither answered nor failed after this long (a host gone without a reset, a lock
 * held for good) is no longer waited for: the writer takes a new connection rather than spill for
 * ever. At most one more connection per this period.
 */
const GIVE_UP_ON_QUERY_MS = 60_000;

/** Records whose health fold is on its way to the consumer; past this they are not folded (health is a guide; logged). */
const MAX_FOLDS_IN_FLIGHT = 10_000;

interface Pending {
  record: AttemptRecord;
  done: () => void;
  fail: (err: unknown) => void;
}

/**
 * The dispatcher's attempt log, written in-process: records are gathered for LINGER_MS and stored in
 * one statement, with no round trip through Kafka. That round trip (a produce, a fetch, a parse and
 * a second batching per attempt) was about 0.2 ms of dispatcher CPU per delivery of 1.3 (quick
 * throughput bench, A/B on the machine of 2026-11-27). `record` resolves once the record is stored,
 * or is on the attempts topic, which is when the offset behind the attempt may be committed.
 *
 * The database never holds deliveries up for longer than WRITE_TIMEOUT_MS: an insert that fails or
 * times out sends its batch, and every batch for SPILL_FOR_MS (and until that insert has settled),
 * to `<prefix>.webhooks.attempts` (acks=all), whose consumer group `<prefix>-attempt-log` stores them
 * once the database answers (retrying, isolating rows it refuses).
 *
 * Endpoint health is folded from each stored batch off this path (one fold at a time, after the
 * records resolved): a fold that fails or times out, or would queue past MAX_FOLD_BACKLOG records,
 * hands its records to the attempts topic, and the consumer folds them (its insert finds them stored).
 * A fold lost to a crash in between is lost: health is a guide (see EndpointHealth).
 */
@Injectable()
export class AttemptLogWriter {
  private readonly logger = new Logger('AttemptLog');
  private pending: Pending[] = [];
  private timer?: NodeJS.Timeout;
  private draining = false;
  private spillUntil = 0;
  /** When the running insert started (0: none), even one that timed out: a new one starts only once it has settled (or GIVE_UP_ON_QUERY_MS passed). */
  private insertSince = 0;
  private folding: Promise<void> = Promise.resolve();
  private foldBacklog = 0;
  /** The same for folds (its UPDATEs, and the webhook.disabled events it produces): the next fold goes to the consumer meanwhile. */
  private foldSince = 0;
  private foldsInFlight = 0;

  constructor(
    private readonly store: AttemptLogStore,
    private readonly health: EndpointHealth,
    private readonly kafka: DurableSender,
    private readonly topics: Topics,
  ) {}

  record(record: AttemptRecord): Promise<void> {
    return new Promise((done, fail) => {
      this.pending.push({ record, done, fail });
      this.timer ??= setTimeout(() => void this.drain(), LINGER_MS);
    });
  }

  /** Writes what is pending, a batch at a time, until nothing is (records added meanwhile join the next batch). */
  private async drain(): Promise<void> {
    if (this.draining) return; // the running loop takes the new records
    this.draining = true;
    try {
      while (this.pending.length > 0) await this.write(this.pending.splice(0, MAX_BATCH));
    } finally {
      this.draining = false;
      this.timer = undefined;
    }
  }

  private async write(batch: Pending[]): Promise<void> {
    const records = batch.map((p) => p.record);
    const now = Date.now();
    if (now < this.spillUntil || (this.insertSince > 0 && now - this.insertSince < GIVE_UP_ON_QUERY_MS)) return this.spill(batch);
    const since = (this.insertSince = now);
    const inserting = this.store.insertBatch(records).finally(() => {
      if (this.insertSince === since) this.insertSince = 0;
    });
    try {
      await withTimeout(inserting, WRITE_TIMEOUT_MS);
    } catch (err) {
      this.logger.warn(`storing ${records.length} attempt records failed; handing attempts to ${this.topics.attempts} for now: ${firstLine(err)}`);
      this.spillUntil = Date.now() + SPILL_FOR_MS;
      return this.spill(batch);
    }
    batch.forEach((p) => p.done());
    this.fold(records);
  }

  /** Folds endpoint health from stored records, one fold at a time, never on the records' path. */
  private fold(records: AttemptRecord[]): void {
    if (this.foldBacklog + records.length > MAX_FOLD_BACKLOG) return this.foldElsewhere(records, 'health folds are backed up');
    this.foldBacklog += records.length;
    this.folding = this.folding
      .then(() => {
        const now = Date.now();
        if (this.foldSince > 0 && now - this.foldSince < GIVE_UP_ON_QUERY_MS) throw new Error('an earlier fold has not answered yet');
        const since = (this.foldSince = now);
        return withTimeout(
          this.health.apply(records).finally(() => {
            if (this.foldSince === since) this.foldSince = 0;
          }),
          FOLD_TIMEOUT_MS,
        );
      })
      .catch((err: unknown) => this.foldElsewhere(records, firstLine(err)))
      .finally(() => (this.foldBacklog -= records.length));
  }

  /** Hands stored records to the attempt-log consumer, which stores them again (a no-op) and folds them. */
  private foldElsewhere(records: AttemptRecord[], why: string): void {
    if (this.foldsInFlight + records.length > MAX_FOLDS_IN_FLIGHT) {
      this.logger.warn(`endpoint health not updated for ${records.length} attempts (${why}; Kafka is not taking the earlier ones either)`);
      return;
    }
    this.logger.warn(`endpoint health of ${records.length} stored attempts goes through ${this.topics.attempts}: ${why}`);
    this.foldsInFlight += records.length;
    let failed = false;
    void Promise.all(records.map((r) => this.toTopic(r).catch(() => (failed = true)))).finally(() => {
      this.foldsInFlight -= records.length;
      if (failed) this.logger.warn(`endpoint health not updated for some of ${records.length} attempts: the attempts topic refused them`);
    });
  }

  /** Hands the batch to the attempts topic; its consumer stores it (and folds health) when the database answers. */
  private async spill(batch: Pending[]): Promise<void> {
    await Promise.all(batch.map((p) => this.toTopic(p.record).then(p.done, p.fail)));
  }

  /** One record on the attempts topic (keyed by webhook, as the consumer's health fold expects), retried until Kafka has it. */
  private toTopic(r: AttemptRecord): Promise<void> {
    return this.kafka.sendDurably(this.topics.attempts, { key: r.webhook_id, value: JSON.stringify(r) });
  }
}

const firstLine = (err: unknown) => ((err as Error)?.message ?? String(err)).split('\n')[0];
