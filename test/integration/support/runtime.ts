import { getContainerRuntimeClient } from 'testcontainers';

/**
 * Whether a container runtime (Docker, Podman, …) is reachable, decided once per file before
 * any test is declared: without one, SQL Server cannot run and the integration tests are
 * *skipped* — reported as skipped with the reason on stderr, never counted as passed.
 */
export interface RuntimeStatus {
  available: boolean;
  reason: string;
}

const DETECT_TIMEOUT_MS = 30_000;

export async function detectContainerRuntime(): Promise<RuntimeStatus> {
  if (process.env.ROWBACK_SKIP_INTEGRATION === '1') {
    return { available: false, reason: 'ROWBACK_SKIP_INTEGRATION=1 is set' };
  }
  try {
    const client = await Promise.race([
      getContainerRuntimeClient(),
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`no answer within ${DETECT_TIMEOUT_MS / 1000} s`)), DETECT_TIMEOUT_MS)),
    ]);
    return { available: true, reason: `container runtime at ${client.info.containerRuntime.host}` };
  } catch (e) {
    const hint = process.env.DOCKER_HOST ? `DOCKER_HOST=${process.env.DOCKER_HOST}` : 'DOCKER_HOST is not set and no Docker/Podman socket was found';
    return { available: false, reason: `no container runtime (${(e as Error).message}; ${hint})` };
  }
}

/** A banner on stderr that nobody can mistake for a pass. */
export function announceSkip(suite: string, status: RuntimeStatus): void {
  const line = '*'.repeat(100);
  process.stderr.write(
    `\n${line}\n*** SKIPPED: ${suite}\n*** reason: ${status.reason}\n` +
      '*** These tests need SQL Server in a container (testcontainers). They did NOT run and are NOT passes.\n' +
      '*** Run `npm run test:integration` on a machine with Docker or Podman to exercise them.\n' +
      `${line}\n\n`,
  );
}
