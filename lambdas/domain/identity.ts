/**
 * Who acted. Records carry one string per person: a display name followed by the immutable identity in
 * brackets, "Dana Pohl [cognito:7f0c…]" or "Dana [slack:U024BE7LH]"; a bare name (the local stack's
 * X-Actor) is its own identity. People are compared by identity, case-insensitively: a renamed e-mail, a
 * second token kind or different letter case is still the same person.
 */
export function actorLabel(displayName: string | undefined, identity: string): string {
  const name = (displayName ?? '').replace(/[[\]]/g, '').trim();
  return name && name.toLowerCase() !== identity.toLowerCase() ? `${name} [${identity}]` : `[${identity}]`;
}

export function identityOf(actor: string): string {
  const bracketed = /\[([^\]]+)\]\s*$/.exec(actor);
  return (bracketed ? bracketed[1]! : actor).trim().toLowerCase();
}

export function samePerson(a: string | undefined, b: string | undefined): boolean {
  return a !== undefined && b !== undefined && identityOf(a) === identityOf(b);
}
