/** Types of eslint.layers.js (plain ESM, so that eslint.config.js can import it without a loader). */
export declare const LAYERS: Record<string, { deps: string[]; public: string[] | '*' }>;
