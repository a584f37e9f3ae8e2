// The one module of the CLI that reads process.env.

/** LMPI settings from the environment (flags override them). */
export interface CliEnv {
  baseUrl: string | undefined;
  accessToken: string | undefined;
  secretKey: string | undefined;
}

/** Reads LMPI_BASE_URL, LMPI_ACCESS_TOKEN and LMPI_SECRET_KEY (empty counts as unset). */
export function readCliEnv(source: NodeJS.ProcessEnv = process.env): CliEnv {
  const value = (name: string) => (source[name]?.trim() ? source[name]?.trim() : undefined);
  return {
    baseUrl: value('LMPI_BASE_URL'),
    accessToken: value('LMPI_ACCESS_TOKEN'),
    secretKey: value('LMPI_SECRET_KEY'),
  };
}
