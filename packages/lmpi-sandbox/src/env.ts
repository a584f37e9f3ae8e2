import { z } from 'zod';

// The one module of the sandbox that reads process.env.

const schema = z
  .object({
    LMPI_SANDBOX_PORT: z.coerce
      .number({ error: 'LMPI_SANDBOX_PORT must be a port number, e.g. 4010' })
      .int()
      .min(0, 'LMPI_SANDBOX_PORT must be between 0 and 65535')
      .max(65535, 'LMPI_SANDBOX_PORT must be between 0 and 65535')
      .default(4010),
    LMPI_SANDBOX_HOST: z.string().min(1).default('127.0.0.1'),
    LMPI_SANDBOX_CATALOGUE: z.string().min(1).optional(),
    LMPI_ACCESS_TOKEN: z.string().min(1).optional(),
    LMPI_SECRET_KEY: z.string().min(1).optional(),
    LMPI_BASE_URL: z.string().min(1).optional(),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  })
  .refine((env) => Boolean(env.LMPI_ACCESS_TOKEN) === Boolean(env.LMPI_SECRET_KEY), {
    message: 'set both LMPI_ACCESS_TOKEN and LMPI_SECRET_KEY, or neither (to use the printed development defaults)',
    path: ['LMPI_ACCESS_TOKEN'],
  });

export type SandboxEnv = z.infer<typeof schema>;

/**
 * Parses the sandbox's environment. Throws one message naming each variable at fault and the fix.
 *
 * @example
 * ```ts
 * const env = readSandboxEnv(process.env)
 * ```
 */
export function readSandboxEnv(source: NodeJS.ProcessEnv = process.env): SandboxEnv {
  const blanksRemoved = Object.fromEntries(Object.entries(source).filter(([, value]) => value !== ''));
  const result = schema.safeParse(blanksRemoved);
  if (!result.success) {
    const lines = result.error.issues.map((issue) => `  ${issue.path.join('.') || 'environment'}: ${issue.message}`);
    throw new Error(`Invalid sandbox configuration:\n${lines.join('\n')}`);
  }
  return result.data;
}
