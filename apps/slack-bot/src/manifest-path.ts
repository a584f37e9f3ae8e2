import { fileURLToPath } from 'node:url';

/** The app manifest (`manifest.yml`) next to the bot's package.json: the same path from `src/` and `dist/`. */
export const MANIFEST_PATH = fileURLToPath(new URL('../manifest.yml', import.meta.url));
