/**
 * Tracks the messages of one partition whose work has started, and says which offset may be
 * committed: the lowest offset whose work is not finished (or one past the last started message
 * when all are finished). Offsets are begun in increasing order; ends come in any order.
 */
export class OffsetTracker {
  private readonly pending: { offset: bigint; done: boolean }[] = [];
  private head = 0;
  private next: bigint | undefined;
  private committed: bigint | undefined;

  begin(offset: bigint): () => void {
    const entry = { offset, done: false };
    this.pending.push(entry);
    this.next = offset + 1n;
    return () => {
      entry.done = true;
      while (this.head < this.pending.length && this.pending[this.head]!.done) this.head++;
      if (this.head > 1024 && this.head * 2 > this.pending.length) {
        this.pending.splice(0, this.head);
        this.head = 0;
      }
    };
  }

  /** The offset to commit now, or undefined when nothing new can be committed. */
  committable(): bigint | undefined {
    const at = this.head < this.pending.length ? this.pending[this.head]!.offset : this.next;
    if (at === undefined || (this.committed !== undefined && at <= this.committed)) return undefined;
    return at;
  }

  markCommitted(offset: bigint): void {
    if (this.committed === undefined || offset > this.committed) this.committed = offset;
  }
}
