// Slack's documented Block Kit limits, checked by the Slack stand-in on every payload it receives
// and by the property tests: a payload that breaks one of these is rejected by real Slack.

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

type Json = Record<string, unknown>;

const textOf = (value: unknown): string =>
  typeof (value as Json | undefined)?.text === 'string' ? ((value as Json).text as string) : '';
const asArray = (value: unknown): Json[] => (Array.isArray(value) ? (value as Json[]) : []);

function checkBlock(block: Json, at: string, out: string[], actionIds: Set<string>): void {
  if (typeof block.block_id === 'string' && block.block_id.length > LIMITS.blockId)
    out.push(`${at}: block_id longer than ${LIMITS.blockId}`);
  switch (block.type) {
    case 'header': {
      const text = block.text as Json | undefined;
      if (text?.type !== 'plain_text') out.push(`${at}: header text must be plain_text`);
      if (textOf(text).length > LIMITS.headerText)
        out.push(`${at}: header text ${textOf(text).length} > ${LIMITS.headerText}`);
      if (textOf(text).length === 0) out.push(`${at}: header text is empty`);
      break;
    }
    case 'section': {
      const fields = asArray(block.fields);
      if (!block.text && fields.length === 0) out.push(`${at}: section needs text or fields`);
      if (textOf(block.text).length > LIMITS.sectionText)
        out.push(`${at}: section text ${textOf(block.text).length} > ${LIMITS.sectionText}`);
      if (block.text && textOf(block.text).length === 0) out.push(`${at}: section text is empty`);
      if (fields.length > LIMITS.sectionFields) out.push(`${at}: ${fields.length} fields > ${LIMITS.sectionFields}`);
      fields.forEach((field, i) => {
        if (textOf(field).length > LIMITS.fieldText)
          out.push(`${at}.fields[${i}]: ${textOf(field).length} > ${LIMITS.fieldText}`);
        if (textOf(field).length === 0) out.push(`${at}.fields[${i}]: empty`);
      });
      break;
    }
    case 'context': {
      const elements = asArray(block.elements);
      if (elements.length === 0 || elements.length > LIMITS.contextElements)
        out.push(`${at}: ${elements.length} context elements (1-${LIMITS.contextElements})`);
      elements.forEach((element, i) => {
        if (textOf(element).length > LIMITS.contextText)
          out.push(`${at}.elements[${i}]: ${textOf(element).length} > ${LIMITS.contextText}`);
      });
      break;
    }
    case 'actions': {
      const elements = asArray(block.elements);
      if (elements.length === 0 || elements.length > LIMITS.actionsElements)
        out.push(`${at}: ${elements.length} action elements (1-${LIMITS.actionsElements})`);
      elements.forEach((element, i) => {
        const where = `${at}.elements[${i}]`;
        if (element.type === 'button') {
          const label = textOf(element.text);
          if (label.length === 0 || label.length > LIMITS.buttonText)
            out.push(`${where}: button text ${label.length} (1-${LIMITS.buttonText})`);
          if (typeof element.value === 'string' && element.value.length > LIMITS.buttonValue)
            out.push(`${where}: button value > ${LIMITS.buttonValue}`);
        }
        const actionId = element.action_id;
        if (typeof actionId === 'string') {
          if (actionId.length > LIMITS.actionId) out.push(`${where}: action_id > ${LIMITS.actionId}`);
          if (actionIds.has(actionId)) out.push(`${where}: duplicate action_id ${actionId}`);
          actionIds.add(actionId);
        }
      });
      break;
    }
    case 'divider':
      break;
    case 'image': {
      const alt = block.alt_text;
      if (typeof alt !== 'string' || alt.length === 0) out.push(`${at}: image needs alt_text`);
      else if (alt.length > LIMITS.imageAltText) out.push(`${at}: alt_text ${alt.length} > ${LIMITS.imageAltText}`);
      const file = block.slack_file as Json | undefined;
      if ((block.image_url === undefined) === (file === undefined))
        out.push(`${at}: image needs exactly one of image_url or slack_file`);
      if (typeof block.image_url === 'string' && block.image_url.length > LIMITS.imageUrl)
        out.push(`${at}: image_url > ${LIMITS.imageUrl}`);
      if (file && (file.id === undefined) === (file.url === undefined))
        out.push(`${at}: slack_file needs exactly one of id or url`);
      break;
    }
    default:
      out.push(`${at}: unexpected block type ${String(block.type)}`);
  }
}

/** Characters of text a block carries (its text, fields, context and button labels). */
function blockText(block: Json): number {
  const elements = asArray(block.elements);
  return (
    textOf(block.text).length +
    asArray(block.fields).reduce((sum, field) => sum + textOf(field).length, 0) +
    elements.reduce(
      (sum, element) => sum + (typeof element.text === 'string' ? element.text.length : textOf(element.text).length),
      0,
    )
  );
}

/**
 * Lists every way the blocks of a view (modal or Home tab) break Block Kit limits: up to 100
 * blocks, each block as in a message (the message-wide text cap does not apply).
 *
 * @example
 * ```ts
 * const problems = viewBlockViolations(view.blocks)
 * ```
 */
export function viewBlockViolations(blocks: unknown): string[] {
  const out: string[] = [];
  const list = asArray(blocks);
  if (list.length === 0) out.push('a view needs blocks');
  if (list.length > LIMITS.blocksPerView) out.push(`${list.length} blocks > ${LIMITS.blocksPerView}`);
  const actionIds = new Set<string>();
  list.forEach((block, i) => {
    checkBlock(block, `blocks[${i}]`, out, actionIds);
  });
  return out;
}

/**
 * Lists every way a message payload breaks Slack's Block Kit limits (empty when it is fine).
 *
 * @example
 * ```ts
 * const problems = blockKitViolations({ text, blocks })
 * if (problems.length) throw new Error(problems.join('\n'))
 * ```
 */
export function blockKitViolations(payload: unknown): string[] {
  const out: string[] = [];
  const message = (payload ?? {}) as Json;
  const blocks = asArray(message.blocks);
  if (typeof message.text === 'string' && message.text.length > LIMITS.messageText)
    out.push(`text ${message.text.length} > ${LIMITS.messageText}`);
  if (blocks.length > LIMITS.blocksPerMessage) out.push(`${blocks.length} blocks > ${LIMITS.blocksPerMessage}`);
  if (blocks.length === 0 && !message.text) out.push('message has neither text nor blocks');
  const actionIds = new Set<string>();
  blocks.forEach((block, i) => {
    checkBlock(block, `blocks[${i}]`, out, actionIds);
  });
  const total = blocks.reduce((sum, block) => sum + blockText(block), 0);
  if (total > LIMITS.blocksTotalText) out.push(`blocks carry ${total} characters of text > ${LIMITS.blocksTotalText}`);
  return out;
}
