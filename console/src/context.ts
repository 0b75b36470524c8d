/** What every view gets from the shell. */
import type { Api } from './api';
import type { AppJson } from '../../lambdas/admin/api-json';

export interface ViewContext {
  api: Api;
  /** The view's own element (a fresh one per navigation). */
  root: HTMLElement;
  /** Goes to a `#/…` place. */
  navigate(href: string): void;
  /** The applications, fetched once per sign-in for pickers and names; `refresh` fetches again. */
  apps(refresh?: boolean): Promise<AppJson[]>;
  /** False once the admin has moved on to another place (late answers are then dropped). */
  isCurrent(): boolean;
}

/** The view's heading, focusable so the shell can move focus to it after navigation. */
export const HEADING_ATTRS = { tabindex: '-1', class: 'view-title' } as const;
