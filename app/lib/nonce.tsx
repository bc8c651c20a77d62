/**
 * The per-request CSP nonce, made by the Express server and handed to React so
 * Remix's inline scripts carry it (the CSP forbids inline scripts without it).
 */
import { createContext, useContext, type ReactNode } from "react";

const NonceContext = createContext<string>("");

export function NonceProvider({ value, children }: { value: string; children: ReactNode }) {
  return <NonceContext.Provider value={value}>{children}</NonceContext.Provider>;
}

export function useNonce(): string {
  return useContext(NonceContext);
}
