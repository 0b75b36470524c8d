/**
 * The admin token lives in sessionStorage: gone when the tab closes, never in the URL, never in
 * localStorage, never sent anywhere but the gateway's own admin API.
 */

const KEY = 'scim-gateway.adminToken';

export const storedToken = (): string | undefined => {
  try {
    return sessionStorage.getItem(KEY) ?? undefined;
  } catch {
    return undefined;
  }
};

export const storeToken = (token: string): void => sessionStorage.setItem(KEY, token);

export const forgetToken = (): void => {
  try {
    sessionStorage.removeItem(KEY);
  } catch {
    // Storage disabled: nothing was kept.
  }
};

/** What a person pastes → the bare token (a copied `Bearer …` header value works too). */
export const cleanToken = (text: string): string => text.trim().replace(/^bearer\s+/i, '').trim();
