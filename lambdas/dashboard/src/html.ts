import htm from 'htm';
import { h, type VNode } from 'preact';

/**
 * Markup as tagged templates (htm, no compile step): `${value}` in a text position is always text, escaped by
 * Preact, never parsed as markup; nothing here builds HTML from strings. Components are placed with `h(Component,
 * props)` inside a template, so their props are type-checked (htm's own `<${Component} …/>` is not).
 */
export const html: (strings: TemplateStringsArray, ...values: unknown[]) => VNode = htm.bind(h) as never;
