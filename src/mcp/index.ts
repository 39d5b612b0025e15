export { CLOSED_WORLD_TOOLS, toolAnnotations, WRITE_EFFECTS, type WriteEffect } from './annotations.js';
export { MCP_HTTP_PATH, type McpHttpServer, type McpHttpServerOptions, startMcpHttpServer } from './http.js';
export { bearerMatches, isAllowedHost, isAllowedOrigin } from './http-guards.js';
export { type InstructionsInput, serverInstructions } from './instructions.js';
export { describeValidToolNames, selectMcpTools, type ToolSelection } from './select-tools.js';
export {
  createMcpServer,
  createMcpServerFactory,
  MCP_SERVER_NAME,
  type McpServePolicy,
  type McpServerOptions,
  type McpServerPlan,
  planMcpServer,
} from './server.js';
export { type McpStdioOptions, type McpStdioSession, serveMcpStdio } from './stdio.js';
export { describeToolError, idParameters } from './tool-errors.js';
export { errorResult, MAX_RESULT_CHARS, successResult } from './tool-result.js';
