// The one module of the CLI that reads process.env.

/** LMPI settings (flags override them) and the bot's database, from the environment. */
export interface CliEnv {
  baseUrl: string | undefined;
  accessToken: string | undefined;
  secretKey: string | undefined;
  /** The Slack bot's DATABASE_URL: threshold overrides set with `/licenses threshold` are read from it. */
  databaseUrl: string | undefined;
}

/** Reads LMPI_BASE_URL, LMPI_ACCESS_TOKEN, LMPI_SECRET_KEY and DATABASE_URL (empty counts as unset). */
export function readCliEnv(source: NodeJS.ProcessEnv = process.env): CliEnv {
  const value = (name: string) => (source[name]?.trim() ? source[name]?.trim() : undefined);
  return {
    baseUrl: value('LMPI_BASE_URL'),
    accessToken: value('LMPI_ACCESS_TOKEN'),
    secretKey: value('LMPI_SECRET_KEY'),
    databaseUrl: value('DATABASE_URL'),
  };
}
