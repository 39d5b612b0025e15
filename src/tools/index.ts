export { getTool, readTools, tools, writeTools } from './catalogue.js';
export {
  type Actor,
  type AnyTool,
  defineTool,
  parseToolInput,
  runTool,
  suggestParameter,
  type ToolAccess,
  type ToolContext,
  type ToolDefinition,
} from './define-tool.js';
export * from './shapes.js';
