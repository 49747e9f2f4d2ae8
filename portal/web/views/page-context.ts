import { createContext } from 'preact';

/** What the layout needs to know about the request without every page passing it down. */
export interface PageContext {
  signedIn: boolean;
}

export const PageContextValue = createContext<PageContext>({ signedIn: false });
