import type { Readable, Writable } from 'node:stream';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import type { Logger } from '../shared/logger.js';

export interface McpStdioOptions {
  server: McpServer;
  logger: Logger;
  /** Default `process.stdin`. */
  stdin?: Readable;
  /** Default `process.stdout`: nothing but protocol messages is ever written there. */
  stdout?: Writable;
}

export interface McpStdioSession {
  /** Resolves once the client has gone (stdin ended or closed) or `close()` was called. */
  closed: Promise<void>;
  close(): Promise<void>;
}

/**
 * Serves one MCP server over stdio (newline-delimited JSON-RPC): stdin carries the client's messages, stdout
 * only the server's. The session ends when the client closes stdin (as Claude Desktop and Claude Code do when
 * they stop the server) or when `close()` is called.
 */
export async function serveMcpStdio(options: McpStdioOptions): Promise<McpStdioSession> {
  const stdin = options.stdin ?? process.stdin;
  const stdout = options.stdout ?? process.stdout;
  const { server, logger } = options;
  const transport = new StdioServerTransport(stdin, stdout);
  let finish: () => void = () => {};
  const closed = new Promise<void>((resolve) => {
    finish = resolve;
  });
  let closing = false;
  const close = async (): Promise<void> => {
    if (closing) return closed;
    closing = true;
    stdin.off('end', onEnd);
    stdin.off('close', onEnd);
    stdout.off('error', onStdoutError);
    await server.close().catch((error: unknown) => logger.warn({ err: error }, 'MCP stdio close failed'));
    finish();
  };
  const onEnd = (): void => {
    logger.info('MCP client closed stdin; stopping');
    void close();
  };
  const onStdoutError = (error: Error): void => {
    logger.warn({ err: error }, 'MCP stdout failed (client gone?); stopping');
    void close();
  };
  transport.onerror = (error) => logger.warn({ err: error }, 'MCP stdio message could not be read');
  stdin.on('end', onEnd);
  stdin.on('close', onEnd);
  stdout.on('error', onStdoutError);
  await server.connect(transport);
  logger.info('MCP server ready on stdio');
  return { closed, close };
}
