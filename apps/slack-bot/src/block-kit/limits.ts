// Slack's documented Block Kit limits, which the output gate (gate.ts) fits every payload into. The
// Slack stand-in (@licensewatch/slack-stand-in) checks payloads against its own copy: one wrong number
// cannot pass on both sides, and limits.test.ts keeps the two tables equal.

export const LIMITS = {
  blocksPerMessage: 50,
  blocksPerView: 100,
  imageAltText: 2_000,
  imageUrl: 3_000,
  messageText: 40_000,
  headerText: 150,
  sectionText: 3_000,
  sectionFields: 10,
  fieldText: 2_000,
  contextElements: 10,
  contextText: 3_000,
  actionsElements: 25,
  buttonText: 75,
  buttonValue: 2_000,
  actionId: 255,
  blockId: 255,
  /** Undocumented cumulative cap on the text of all blocks (`msg_blocks_too_long`, about 12,000). */
  blocksTotalText: 12_000,
} as const;
