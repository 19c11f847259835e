import { h, render } from 'preact';
import { setDeskConfig, type DeskConfig } from './api.js';
import { App } from './app.js';
import { finishCognitoSignIn } from './auth.js';

/** The desk's entry (bundled by esbuild into /dashboard/app.js): how to sign in, then the app. */
async function boot(): Promise<void> {
  let bootError: string | undefined;
  try {
    setDeskConfig((await fetch('/dashboard/config.json').then((r) => r.json())) as DeskConfig);
    await finishCognitoSignIn();
  } catch (error) {
    bootError = error instanceof Error ? error.message : String(error);
  }
  const root = document.getElementById('desk')!;
  root.replaceChildren(); // the page's "Loading" line
  render(h(App, bootError ? { bootError } : {}), root);
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', () => void boot());
else void boot();
