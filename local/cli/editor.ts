import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CliError } from './client.js';

/** An element of a notice's draft as the API's notice view gives it (the parts the editor needs). */
export interface EditableElement {
  readonly id: string;
  readonly label?: string;
  readonly legalSource?: string;
  readonly required?: boolean;
  readonly value?: string | null;
  readonly source?: string;
  readonly suggestion?: { readonly text: string; readonly language?: string };
}

const HEADING = /^## ([a-z0-9][a-z0-9-]*)(?:\s.*)?$/;

/**
 * The file `breachclock edit <id> <noticeId>` opens in $VISUAL/$EDITOR: one `## element-id` section per element
 * with its current text, its label, legal source and whether it is required in comment lines (`#`), the task
 * suggestion commented out beneath an empty one. Officer text is written as is: a line of it that looks like a
 * section heading is indented by one space so that it cannot start another element (and is read back unchanged).
 */
export function editorText(notice: { readonly noticeId: string; readonly kind: string; readonly language: string; readonly version: number }, elements: readonly EditableElement[]): string {
  const lines = [
    `# ${notice.noticeId} (${notice.kind}, ${notice.language}), version ${notice.version}.`,
    '# Write each element\'s text under its "## id" line. Lines starting with "#" are ignored. An emptied element',
    '# removes your text (a derived value comes back). Only what you change is saved, as one new version.',
    '# Save and close to submit; delete everything (or change nothing) to cancel.',
    '',
  ];
  for (const element of elements) {
    lines.push(`## ${element.id}`);
    lines.push(`# ${element.label ?? element.id}${element.required ? ' (required)' : ''}${element.legalSource ? `: ${element.legalSource}` : ''}${element.source === 'derived' ? '; derived from the facts: text here overrides it' : ''}`);
    if (element.suggestion && !element.value) lines.push(`# suggested (${element.suggestion.language ?? 'en'}): ${element.suggestion.text.replace(/\n/g, '\n# ')}`);
    const value = element.value ?? '';
    if (value) lines.push(...value.split('\n').map((line) => (HEADING.test(line) || line.startsWith('#') || line.startsWith(' ') ? ` ${line}` : line)));
    lines.push('');
  }
  return `${lines.join('\n')}\n`;
}

/** Reads the edited file back: each section's text, with the editor's escaping undone. */
export function parseEditorText(text: string, known: ReadonlySet<string>): Map<string, string> {
  const sections = new Map<string, string[]>();
  let current: string[] | undefined;
  for (const line of text.replace(/\r\n/g, '\n').split('\n')) {
    const heading = HEADING.exec(line);
    if (heading) {
      const id = heading[1]!;
      if (!known.has(id)) throw new CliError(`"## ${id}" is not an element of this notice; its elements: ${[...known].join(', ')}`, 2);
      if (sections.has(id)) throw new CliError(`element ${id} appears twice in the edited file`, 2);
      current = [];
      sections.set(id, current);
      continue;
    }
    if (line.startsWith('#') || !current) continue;
    current.push(line.startsWith(' ') ? line.slice(1) : line);
  }
  return new Map([...sections].map(([id, body]) => [id, body.join('\n').replace(/^\n+|\s+$/g, '')]));
}

/**
 * The fields an edit sends: the elements whose text changed (an emptied one of yours as null, to remove it).
 * An element deleted from the file is left as it was.
 */
export function changedFields(elements: readonly EditableElement[], edited: ReadonlyMap<string, string>): Record<string, string | null> {
  const fields: Record<string, string | null> = {};
  for (const element of elements) {
    if (!edited.has(element.id)) continue;
    const before = (element.value ?? '').replace(/\s+$/g, '');
    const after = edited.get(element.id)!;
    if (after === before) continue;
    if (after === '') {
      if (element.source === 'field') fields[element.id] = null;
      continue;
    }
    fields[element.id] = after;
  }
  return fields;
}

/** The editor to run: $VISUAL, then $EDITOR, then vi (as git does). */
export function editorCommand(env: NodeJS.ProcessEnv = process.env): string {
  return env.VISUAL?.trim() || env.EDITOR?.trim() || 'vi';
}

/**
 * Opens the text in the user's editor (a private temporary file, removed afterwards) and answers what was saved,
 * or undefined when the file was emptied. The editor's command may carry arguments (`code --wait`).
 */
export function editInEditor(text: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const dir = mkdtempSync(join(tmpdir(), 'breachclock-edit-'));
  const file = join(dir, 'notice.md');
  try {
    writeFileSync(file, text, { mode: 0o600 });
    const editor = editorCommand(env);
    const result = spawnSync(`${editor} "${file}"`, { shell: true, stdio: 'inherit', env });
    if (result.error) throw new CliError(`could not run the editor "${editor}": ${result.error.message} (set $EDITOR)`, 1);
    if (result.status !== 0) throw new CliError(`the editor "${editor}" exited with ${result.status ?? result.signal}: nothing was saved`, 1);
    const saved = readFileSync(file, 'utf8');
    return saved.replace(/^#.*$/gm, '').trim() === '' ? undefined : saved;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Keeps an edit the API refused in the current directory (mode 0600), so nothing written is lost; answers the path. */
export function keepEdits(noticeId: string, fields: Readonly<Record<string, string | null>>, dir = process.cwd()): string {
  const file = join(dir, `${noticeId.replace(/[^\w.-]/g, '_')}.edit-${Date.now()}.md`);
  const body = Object.entries(fields).map(([id, value]) => `## ${id}\n${value ?? '(removed)'}\n`).join('\n');
  writeFileSync(file, body, { mode: 0o600 });
  return file;
}
