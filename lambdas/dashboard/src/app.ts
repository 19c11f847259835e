import { h } from 'preact';
import { useEffect, useMemo, useState } from 'preact/hooks';
import type { MeAnswer, Permission } from '../../contracts/api-answers.js';

import { api, deskConfig, serverNow, session, TokenRefusedError } from './api.js';
import { cognitoSignOut } from './auth.js';
import { DeskContext, type Desk } from './desk.js';
import { html } from './html.js';
import { IncidentList } from './views/incident-list.js';
import { IncidentView } from './views/incident.js';
import { MyTasks } from './views/my-tasks.js';
import { RegisterExport, RegisterView } from './views/register.js';
import { SignIn } from './views/sign-in.js';

/** Where the desk is: the address's hash is the route, so a view can be linked and reloaded. */
export type Route = { readonly view: 'list' } | { readonly view: 'tasks' } | { readonly view: 'register' } | { readonly view: 'incident'; readonly id: string };

export function currentRoute(hash = location.hash): Route {
  const incident = /^#\/incident\/(.+)$/.exec(hash);
  if (incident) return { view: 'incident', id: decodeURIComponent(incident[1]!) };
  if (hash === '#/tasks') return { view: 'tasks' };
  if (hash === '#/register') return { view: 'register' };
  return { view: 'list' };
}

const routeKey = (route: Route): string => (route.view === 'incident' ? `incident/${route.id}` : route.view);

interface Shown {
  readonly message: string;
  readonly fromRefresh: boolean;
}

const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/** The desk: header, the status and error lines, and the view of the route once the user is known. */
export function App({ bootError }: { readonly bootError?: string }) {
  const [token, setToken] = useState(session.token);
  /** Why the sign-in view is shown again (a refused token, a failed sign-in), kept until the next sign-in. */
  const [signInNotice, setSignInNotice] = useState(bootError ?? '');
  const [me, setMe] = useState<MeAnswer>();
  const [route, setRoute] = useState(currentRoute());
  const [error, setError] = useState<Shown>();
  const [status, setStatus] = useState('');
  const [tick, setTick] = useState(0);

  const signedOut = (notice: string) => {
    session.forget();
    setToken(null);
    setMe(undefined);
    setSignInNotice(notice);
  };
  const show = (error: unknown, fromRefresh: boolean) => {
    if (error instanceof TokenRefusedError) signedOut(error.message);
    else setError({ message: messageOf(error), fromRefresh });
  };

  useEffect(() => {
    const onHash = () => setRoute(currentRoute());
    window.addEventListener('hashchange', onHash);
    const timer = setInterval(() => setTick((t) => t + 1), 1000);
    return () => {
      window.removeEventListener('hashchange', onHash);
      clearInterval(timer);
    };
  }, []);

  // Each view (and each sign-in) starts without the previous one's error, and asks who the user is.
  useEffect(() => {
    setError(undefined);
    if (!token) return;
    api<MeAnswer>('GET', '/api/me').then(setMe, (e: unknown) => show(e, false));
  }, [routeKey(route), token]);

  const desk = useMemo<Desk | undefined>(
    () =>
      me && {
        me,
        can: (permission: Permission) => me.permissions.includes(permission),
        tick,
        // Read at each render, not once per tick: the first render of an answer already counts from the stack's
        // time that answer carried (it showed the browser's time for up to a second after a sign-in).
        get now() {
          return serverNow();
        },
        fail: (e) => show(e, false),
        refreshFailed: (e) => show(e, true),
        refreshed: () => setError((shown) => (shown?.fromRefresh ? undefined : shown)),
        clearError: () => setError(undefined),
        done: setStatus,
      },
    [me, tick],
  );

  const signOut = () => {
    signedOut('');
    if (deskConfig().auth === 'cognito') return cognitoSignOut();
    location.hash = '#/';
  };
  const signIn = (newToken: string, actor?: string) => {
    setSignInNotice('');
    session.signIn(newToken, actor);
    setToken(newToken);
  };

  const who = token && me ? `${me.actor} · ${me.roles.length ? me.roles.join(', ') : 'no role: ask an administrator for one'}` : '';
  const shownError = !token ? signInNotice || error?.message : error?.message;
  return html`
    <header>
      <h1><a href="#/">breachclock</a></h1>
      <nav aria-label="Main">
        <a href="#/">Open incidents</a>
        <a href="#/tasks">My tasks</a>
        <a href="#/register">Register</a>
        <span id="who" class="hint">${who}</span>
        ${h(RegisterExport, { onError: (e: unknown) => show(e, false) })}
        <button type="button" id="sign-out" onClick=${signOut}>Sign out</button>
      </nav>
    </header>
    <div id="status" role="status" aria-live="polite">${status}</div>
    <div id="error" role="alert">${shownError ?? ''}</div>
    <main>
      ${!token
        ? h(SignIn, { onSignIn: signIn, onError: (e: unknown) => show(e, false) })
        : desk
          ? h(DeskContext.Provider, {
              value: desk,
              children:
                route.view === 'incident'
                  ? h(IncidentView, { key: route.id, id: route.id })
                  : route.view === 'tasks'
                    ? h(MyTasks, {})
                    : route.view === 'register'
                    ? h(RegisterView, { onError: (e: unknown) => show(e, false) })
                    : h(IncidentList, {}),
            })
          : null}
    </main>
  `;
}
