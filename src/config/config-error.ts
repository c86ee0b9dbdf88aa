/** A bad environment: the message names every bad variable; the entry points print it and exit. */
export class ConfigError extends Error {}
