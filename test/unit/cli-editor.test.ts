import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { changedFields, editInEditor, editorText, keepEdits, parseEditorText, type EditableElement } from '../../local/cli/editor.js';

const NOTICE = { noticeId: 'NTC-gdpr-people-1', kind: 'gdpr-people', language: 'en', version: 3 };
const ELEMENTS: EditableElement[] = [
  { id: 'nature', label: 'Nature of the breach', legalSource: 'GDPR Art. 34(2)', required: true, value: 'An attacker exported\n## what-to-do looks like a heading\n# and a comment', source: 'field' },
  { id: 'what-to-do', label: 'What you can do', legalSource: 'GDPR Art. 34(2)', required: true, source: 'missing', suggestion: { text: 'Reset passwords', language: 'en' } },
  { id: 'contact-point', label: 'Contact point', legalSource: 'GDPR Art. 33(3)(b)', required: true, value: 'Dana Pohl, dpo@shopwise.example', source: 'derived' },
  { id: 'measures-taken', label: 'Measures taken', legalSource: 'GDPR Art. 34(2)', value: 'Keys rotated.', source: 'field' },
];
const IDS = new Set(ELEMENTS.map((e) => e.id));

describe('breachclock edit in $EDITOR (issue 25.3)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'breachclock-editor-test-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes every element under its heading, with its source and suggestion as comments, and reads an untouched file back as no change', () => {
    const text = editorText(NOTICE, ELEMENTS);
    expect(text).toContain('## nature\n# Nature of the breach (required): GDPR Art. 34(2)\nAn attacker exported\n ## what-to-do looks like a heading\n # and a comment\n');
    expect(text).toContain('## what-to-do\n# What you can do (required): GDPR Art. 34(2)\n# suggested (en): Reset passwords\n');
    expect(text).toContain('derived from the facts');
    const back = parseEditorText(text, IDS);
    // Officer text that looks like a heading or a comment survives the round trip as text.
    expect(back.get('nature')).toBe(ELEMENTS[0]!.value);
    expect(changedFields(ELEMENTS, back)).toEqual({});
  });

  it('sends only what changed: new text, an emptied element of yours as null, a derived one emptied left alone', () => {
    const text = editorText(NOTICE, ELEMENTS)
      .replace('# suggested (en): Reset passwords\n', '# suggested (en): Reset passwords\nChange your password\nat once.\n')
      .replace('Keys rotated.\n', '\n')
      .replace('Dana Pohl, dpo@shopwise.example\n', '');
    expect(changedFields(ELEMENTS, parseEditorText(text, IDS))).toEqual({ 'what-to-do': 'Change your password\nat once.', 'measures-taken': null });
  });

  it('refuses a heading that is no element of the notice, and one given twice', () => {
    expect(() => parseEditorText('## natur\ntext\n', IDS)).toThrow(/"## natur" is not an element.*nature, what-to-do/);
    expect(() => parseEditorText('## nature\na\n## nature\nb\n', IDS)).toThrow(/appears twice/);
  });

  it('runs $EDITOR (with its arguments) on a private file and answers what was saved; an emptied file cancels', () => {
    const script = join(dir, 'fake-editor.mjs');
    // A stand-in for vi: appends a line under "## what-to-do" and records the file's mode.
    writeFileSync(
      script,
      "import { readFileSync, writeFileSync, statSync } from 'node:fs';\n" +
        'const [, , mode, file] = process.argv;\n' +
        "writeFileSync(process.env.MODE_FILE, (statSync(file).mode & 0o777).toString(8));\n" +
        "if (mode === 'empty') writeFileSync(file, '# nothing\\n');\n" +
        "else writeFileSync(file, readFileSync(file, 'utf8').replace('## what-to-do\\n', '## what-to-do\\nUse a new password.\\n'));\n",
    );
    const modeFile = join(dir, 'mode.txt');
    const env = { ...process.env, VISUAL: '', EDITOR: `"${process.execPath}" "${script}" edit`, MODE_FILE: modeFile };
    const saved = editInEditor(editorText(NOTICE, ELEMENTS), env);
    expect(readFileSync(modeFile, 'utf8')).toBe('600');
    expect(changedFields(ELEMENTS, parseEditorText(saved!, IDS))).toEqual({ 'what-to-do': 'Use a new password.' });
    expect(editInEditor(editorText(NOTICE, ELEMENTS), { ...env, EDITOR: `"${process.execPath}" "${script}" empty` })).toBeUndefined();
    expect(() => editInEditor('x', { ...env, EDITOR: `"${process.execPath}" -e "process.exit(3)"` })).toThrow(/exited with 3: nothing was saved/);
  });

  it('keeps a refused edit in a private file so nothing written is lost', () => {
    const file = keepEdits('NTC-1', { 'what-to-do': 'Use a new password.', nature: null }, dir);
    expect(readFileSync(file, 'utf8')).toBe('## what-to-do\nUse a new password.\n\n## nature\n(removed)\n');
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });
});
