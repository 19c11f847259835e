/**
 * Domain errors. Every error names what was wrong and, where it helps, where (a field path).
 * Handlers map them to transport errors; nothing here knows about HTTP.
 */
export class DomainError extends Error {
  readonly code: string;
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/** An action that the incident's current state does not allow (e.g. acknowledging a dismissed incident). */
export class IllegalTransitionError extends DomainError {
  readonly from: string;
  readonly action: string;
  constructor(from: string, action: string, message: string) {
    super('illegal_transition', message);
    this.from = from;
    this.action = action;
  }
}

/** Input that is well-formed but breaks a domain rule (e.g. awareAt in the future). */
export class DomainValidationError extends DomainError {
  readonly path: string;
  constructor(path: string, message: string) {
    super('invalid_input', message);
    this.path = path;
  }
}

/** Configuration that cannot be used (e.g. an escalation ladder with duplicate step ids). */
export class ConfigurationError extends DomainError {
  readonly issues: readonly string[];
  constructor(message: string, issues: readonly string[] = []) {
    super('invalid_configuration', issues.length ? `${message}: ${issues.join('; ')}` : message);
    this.issues = issues;
  }
}

/** A missing part: its label and legal source; for a notice, the language it is needed in and (`written`) the language of the text it holds instead. */
export interface MissingPart {
  readonly id: string;
  readonly label: string;
  readonly legalSource: string;
  readonly language?: string;
  readonly written?: string;
}

/** "What you can do (GDPR Art. 34(2)) in de, not en": one missing part, for messages. */
export const missingText = (m: MissingPart): string => `${m.label} (${m.legalSource})${m.language && (m.language !== 'en' || m.written) ? ` in ${m.language}` : ''}${m.written ? `, not ${m.written}` : ''}`;

/** A document that lacks mandatory parts cannot be approved; lists exactly which (label and legal source). */
export class IncompleteError extends DomainError {
  constructor(
    readonly missing: readonly MissingPart[],
    message: string,
  ) {
    super('incomplete', message);
  }
}

/** The content rendered now is not what the approver reviewed: derived values changed since (facts, tasks, decisions). */
export class ContentChangedError extends DomainError {
  constructor(
    message: string,
    /** The elements whose rendered value differs from what was reviewed (when the reviewer sent element hashes). */
    readonly changed: readonly { readonly id: string; readonly label: string }[],
    readonly contentHash: string,
  ) {
    super('content_changed', message);
  }
}

/** The recipient list attached now is not the one the approver reviewed (or none was named): a list is part of what is approved. */
export class RecipientsChangedError extends DomainError {
  constructor(
    message: string,
    /** The SHA-256 of the list attached now. */
    readonly recipientsHash: string,
  ) {
    super('recipients_changed', message);
  }
}
