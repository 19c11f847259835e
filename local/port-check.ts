import { createServer } from 'node:net';

/**
 * Every port the local stack listens on is checked before anything starts (issue 25.5): a taken port is one
 * clear line naming the variable to set, not DynamoDB Local started for nothing and then an EADDRINUSE trace.
 */

export interface PortNeed {
  /** What listens there, for the message: "the HTTP API". */
  readonly what: string;
  /** 0 (any free port) is not checked. */
  readonly port: number;
  /** The environment variable of `npm start` that moves it. */
  readonly variable: string;
  /** Where it will listen; without it the port must be free on every interface. */
  readonly host?: string;
}

export class PortInUseError extends Error {
  constructor(readonly need: PortNeed) {
    super(
      `Port ${need.port} (${need.what}) is already in use: set ${need.variable} to a free port (e.g. ${need.variable}=${suggestion(need.port)} npm start), ` +
        `or stop what holds it (lsof -i :${need.port}).`,
    );
    this.name = 'PortInUseError';
  }
}

/** Two services configured on one port. */
export class PortClashError extends Error {
  constructor(first: PortNeed, second: PortNeed) {
    super(`${first.variable} and ${second.variable} are both ${second.port}: ${first.what} and ${second.what} need a port each; set ${second.variable} to another port.`);
    this.name = 'PortClashError';
  }
}

const suggestion = (port: number) => (port < 65_000 ? port + 1000 : port - 1000);

/** Whether a TCP port can be bound on this host (or, without one, on every interface). */
export function portIsFree(port: number, host?: string): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    const listening = () => probe.close(() => resolve(true));
    if (host) probe.listen(port, host, listening);
    else probe.listen(port, listening);
  });
}

/** Resolves when every port is free; otherwise throws PortInUseError for the first taken one. */
export async function checkPorts(needs: readonly PortNeed[]): Promise<void> {
  const fixed = needs.filter((need) => need.port !== 0);
  for (const [i, need] of fixed.entries()) {
    const other = fixed.slice(0, i).find((earlier) => earlier.port === need.port);
    if (other) throw new PortClashError(other, need);
  }
  for (const need of fixed) {
    if (need.port === 0) continue;
    if (!(await portIsFree(need.port, need.host))) throw new PortInUseError(need);
  }
}

/** A listen error as the same clear message, when the port was taken after the check. */
export function asPortError(error: unknown, need: PortNeed): unknown {
  return (error as NodeJS.ErrnoException)?.code === 'EADDRINUSE' ? new PortInUseError(need) : error;
}
