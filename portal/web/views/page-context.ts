import { createContext } from 'preact';

/** What the layout needs to know about the request without every page passing it down. */
export interface PageContext {
  signedIn: boolean;
  /** Easy Japanese: readings (furigana) shown; the layout offers the switch to hide or show them. */
  readings: boolean;
}

export const PageContextValue = createContext<PageContext>({ signedIn: false, readings: true });
