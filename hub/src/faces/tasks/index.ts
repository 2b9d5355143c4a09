export { type FollowItem, followEvents } from './follow-events.ts';
export { mountTaskRoutes, type TaskRouteOptions } from './routes.ts';
export { attachTaskSocket, TASK_SOCKET_PATH, type TaskSocketOptions } from './websocket.ts';
