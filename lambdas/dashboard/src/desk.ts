import { createContext } from 'preact';
import { useCallback, useContext, useEffect, useRef, useState } from 'preact/hooks';
import type { MeAnswer, Permission } from '../../contracts/api-answers.js';


/**
 * What every view gets from the desk around it: who is signed in and what their roles allow (controls only
 * what is shown: the API decides), the stack's time (ticks every second), and where errors and outcomes go.
 */
export interface Desk {
  readonly me: MeAnswer;
  can(permission: Permission): boolean;
  /** Counts the seconds; views re-read their data every second tick. */
  readonly tick: number;
  /** The stack's now (epoch ms), read when a view renders (every tick, and when its data arrives). */
  readonly now: number;
  /** An action's refusal or failure: stays until the next action or view. */
  fail(error: unknown): void;
  /** A refresh failed: shown until a refresh succeeds (or an action). */
  refreshFailed(error: unknown): void;
  refreshed(): void;
  /** Before an action: the previous refusal goes. */
  clearError(): void;
  /** An action done (the status line). */
  done(message: string): void;
}

export const DeskContext = createContext<Desk | undefined>(undefined);

export function useDesk(): Desk {
  const desk = useContext(DeskContext);
  if (!desk) throw new Error('A view rendered outside the desk');
  return desk;
}

/**
 * A view's data: read when the view (or what it shows: `key`) changes, and again every two seconds, so new alerts
 * and other people's actions appear without a reload. Not while the user is in a form's field (what they type or
 * choose stays put); a button pressed in a form (its focus stays there) does not stop the refresh.
 * An answer to an older read than the newest is dropped; until the first answer for a new `key` arrives, the
 * previous one stays shown (a page turns when the next page is there).
 */
const editing = (): boolean => {
  const focused = document.activeElement;
  return Boolean(focused?.closest('form') && focused.matches('input, textarea, select'));
};

export function usePolled<T>(load: () => Promise<T>, key: string): { readonly data: T | undefined; reload(): Promise<void> } {
  const desk = useDesk();
  const [data, setData] = useState<T>();
  const latest = useRef({ load, generation: 0 });
  latest.current.load = load;
  const read = useCallback(async () => {
    const generation = ++latest.current.generation;
    const value = await latest.current.load();
    if (generation === latest.current.generation) setData(value);
  }, []);
  useEffect(() => {
    read().catch((error: unknown) => desk.fail(error));
  }, [key]);
  useEffect(() => {
    if (desk.tick === 0 || desk.tick % 2 !== 0 || editing()) return;
    read().then(
      () => desk.refreshed(),
      (error: unknown) => desk.refreshFailed(error),
    );
  }, [desk.tick]);
  return { data, reload: read };
}

/** A text field's value and its input handler. */
export function useField(initial = ''): { readonly value: string; set(value: string): void; readonly onInput: (event: Event) => void } {
  const [value, set] = useState(initial);
  return { value, set, onInput: (event: Event) => set((event.currentTarget as HTMLInputElement).value) };
}
