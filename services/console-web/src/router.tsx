import { localDate } from '@reserveit/console-api';
import {
  createRootRoute,
  createRoute,
  createRouter,
  Navigate,
  Outlet,
  useParams,
} from '@tanstack/react-router';
import { z } from 'zod';
import { DayScreen } from './screens/day/day-screen.js';
import { GuestTimelineScreen } from './screens/guest-timeline.js';
import { HomeScreen } from './screens/home.js';
import { ConversationScreen } from './screens/inbox/conversation-screen.js';
import { InboxScreen } from './screens/inbox/inbox-screen.js';
import { LoginScreen } from './screens/login.js';
import { SettingsScreen } from './screens/settings/settings-screen.js';
import { Shell } from './screens/shell.js';
import { StaffScreen } from './screens/staff-screen.js';
import { TokensScreen } from './screens/tokens-screen.js';

const rootRoute = createRootRoute({
  component: Outlet,
  // The server answers every unknown non-API path with index.html: an old link lands on the start.
  notFoundComponent: () => <Navigate to="/" />,
});

const homeRoute = createRoute({ getParentRoute: () => rootRoute, path: '/', component: HomeScreen });
const loginRoute = createRoute({ getParentRoute: () => rootRoute, path: '/login', component: LoginScreen });
const restaurantRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/r/$businessId',
  component: Shell,
});

function RestaurantStart() {
  const { businessId } = useParams({ from: '/r/$businessId/' });
  return <Navigate to="/r/$businessId/day" params={{ businessId }} />;
}
const restaurantIndexRoute = createRoute({
  getParentRoute: () => restaurantRoute,
  path: '/',
  component: RestaurantStart,
});

const daySearch = z.object({ date: localDate.optional().catch(undefined) });
const dayRoute = createRoute({
  getParentRoute: () => restaurantRoute,
  path: 'day',
  validateSearch: (search: Record<string, unknown>) => daySearch.parse(search),
  component: DayScreen,
});
const inboxRoute = createRoute({
  getParentRoute: () => restaurantRoute,
  path: 'inbox',
  component: InboxScreen,
});
const conversationRoute = createRoute({
  getParentRoute: () => inboxRoute,
  path: '$conversationId',
  component: ConversationScreen,
});
const guestSearch = z.object({
  conversationId: z.string().min(1).max(200).optional().catch(undefined),
  reservationId: z.string().min(1).max(200).optional().catch(undefined),
});
const guestRoute = createRoute({
  getParentRoute: () => restaurantRoute,
  path: 'guest',
  validateSearch: (search: Record<string, unknown>) => guestSearch.parse(search),
  component: GuestTimelineScreen,
});
const settingsRoute = createRoute({
  getParentRoute: () => restaurantRoute,
  path: 'settings',
  component: SettingsScreen,
});
const staffRoute = createRoute({
  getParentRoute: () => restaurantRoute,
  path: 'staff',
  component: StaffScreen,
});
const tokensRoute = createRoute({
  getParentRoute: () => restaurantRoute,
  path: 'tokens',
  component: TokensScreen,
});

const routeTree = rootRoute.addChildren([
  homeRoute,
  loginRoute,
  restaurantRoute.addChildren([
    restaurantIndexRoute,
    dayRoute,
    inboxRoute.addChildren([conversationRoute]),
    guestRoute,
    settingsRoute,
    staffRoute,
    tokensRoute,
  ]),
]);

export const router = createRouter({ routeTree, defaultPreload: false });

declare module '@tanstack/react-router' {
  interface Register {
    router: typeof router;
  }
}
