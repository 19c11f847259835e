import { useEffect, useRef } from 'preact/hooks';
import { deskConfig } from '../api.js';
import { startCognitoSignIn } from '../auth.js';
import { useField } from '../desk.js';
import { html } from '../html.js';

const ACTOR_PATTERN = '[A-Za-z0-9.@+_\\-]{1,128}';

/** Sign in: the API token and a name locally; Cognito's hosted sign-in on AWS. */
export function SignIn({ onSignIn, onError }: { readonly onSignIn: (token: string, actor: string) => void; readonly onError: (error: unknown) => void }) {
  const token = useField();
  const actor = useField();
  const first = useRef<HTMLInputElement & HTMLButtonElement>(null);
  const cognito = deskConfig().auth === 'cognito';
  useEffect(() => first.current?.focus(), []);
  const submit = (event: Event) => {
    event.preventDefault();
    onSignIn(token.value, actor.value);
  };
  return html`
    <section id="sign-in" aria-labelledby="sign-in-title">
      <h2 id="sign-in-title">Sign in</h2>
      ${cognito
        ? html`<div id="cognito-sign-in">
            <p>Sign in with your breachclock account (the organisation's user pool; multi-factor authentication is required).</p>
            <button type="button" id="cognito-button" ref=${first} onClick=${() => startCognitoSignIn().catch(onError)}>Sign in</button>
          </div>`
        : html`<div id="token-sign-in">
            <form id="sign-in-form" onSubmit=${submit}>
              <label for="token">API token</label>
              <input id="token" name="token" type="password" autocomplete="current-password" required ref=${first} value=${token.value} onInput=${token.onInput} />
              <label for="actor">Your name (recorded on every action)</label>
              <input id="actor" name="actor" required pattern=${ACTOR_PATTERN} value=${actor.value} onInput=${actor.onInput} />
              <button type="submit">Sign in</button>
            </form>
            <p class="hint">Locally the API token is in <code>.data/local-settings.json</code> (printed by <code>npm start</code>).</p>
          </div>`}
    </section>
  `;
}
