// First: before any module builds a zod schema.
import './zod-config.js';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { RouterProvider } from '@tanstack/react-router';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { onUnauthorized, setCsrfToken } from './api/client.js';
import { ApiFailure } from './api/errors.js';
import { keys } from './domain/query-keys.js';
import { setupI18n } from './i18n/setup.js';
import { router } from './router.js';
import './styles.css';

setupI18n();

/** A failed query is not retried when the server answered 4xx: asking again changes nothing. */
function retry(failures: number, error: unknown): boolean {
  if (error instanceof ApiFailure && error.status < 500) return false;
  return failures < 2;
}

const queryClient = new QueryClient({
  defaultOptions: { queries: { retry, staleTime: 5_000 } },
});

onUnauthorized(() => {
  setCsrfToken(null);
  queryClient.setQueryData(keys.session, null);
  if (router.state.location.pathname !== '/login') void router.navigate({ to: '/login' });
});

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root');
createRoot(root).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <RouterProvider router={router} />
    </QueryClientProvider>
  </StrictMode>,
);
