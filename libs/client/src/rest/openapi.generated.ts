// Generated from /api/docs-json by `npm run client:openapi`; test/client-openapi.e2e-spec.ts fails when it is stale.

export interface paths {
    "/api/agents": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List agents, oldest first */
        get: operations["AgentsController_list"];
        put?: never;
        /** Create an agent */
        post: operations["AgentsController_create"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/agents/{agentId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get an agent */
        get: operations["AgentsController_get"];
        put?: never;
        post?: never;
        /** Delete an agent that has no sessions left */
        delete: operations["AgentsController_remove"];
        options?: never;
        head?: never;
        /** Update an agent's name, status, settings or runtime */
        patch: operations["AgentsController_update"];
        trace?: never;
    };
    "/api/agents/{agentId}/commands": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Commands given to the agent over /ws, newest first */
        get: operations["CommandsController_list"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/agents/{agentId}/commands/{commandId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One command with its status and result */
        get: operations["CommandsController_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/asyncapi.json": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** AsyncAPI 3 document of every Socket.IO event and /ws frame, both directions */
        get: operations["AsyncApiController_asyncApi"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/auth/keys": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List API keys (never their tokens) */
        get: operations["ApiKeysController_list"];
        put?: never;
        /** Create an API key; the token is in this response only */
        post: operations["ApiKeysController_create"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/auth/keys/{keyId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Revoke an API key, effective at once */
        delete: operations["ApiKeysController_revoke"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/channels": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Create a channel (a room without a session); its agent participants answer user messages
         * @description The channel belongs to the key that creates it and to the keys listed as user participants (by key id); others get 404.
         */
        post: operations["ChannelsController_create"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/channels/{channelId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get a channel with its participants */
        get: operations["ChannelsController_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/messaging/channels/{channelId}/messages": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Channel history, newest first, with epoch-ms cursors */
        get: operations["ChannelMessagesController_list"];
        put?: never;
        /** Post a message; the channel's agents answer in the chosen response mode */
        post: operations["ChannelMessagesController_post"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/messaging/sessions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List sessions, newest first */
        get: operations["SessionsController_list"];
        put?: never;
        /** Create a session between a user and an agent, with its own channel */
        post: operations["SessionsController_create"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/messaging/sessions/{sessionId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get a session */
        get: operations["SessionsController_get"];
        put?: never;
        post?: never;
        /**
         * End a session; its channel and messages are deleted with it
         * @description Its own key (or its session token) ends a session; sessions:manage ends any.
         */
        delete: operations["SessionsController_remove"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/messaging/sessions/{sessionId}/heartbeat": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Keep the session alive without a message; auto-renews when configured */
        post: operations["SessionsController_heartbeat"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/messaging/sessions/{sessionId}/messages": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Message history, newest first, with epoch-ms cursors */
        get: operations["SessionsController_messages"];
        put?: never;
        /** Send a message in the session; auto-renews it when configured */
        post: operations["SessionsController_send"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/messaging/sessions/{sessionId}/renew": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Renew the session by a full timeout, up to its maximum duration */
        post: operations["SessionsController_renew"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/messaging/sessions/{sessionId}/timeout": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /** Change the session's timeout config; expiry is recomputed from now */
        patch: operations["SessionsController_updateTimeout"];
        trace?: never;
    };
    "/api/messaging/sessions/health": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Health of the sessions service, with session counts */
        get: operations["SessionsHealthController_health"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/livez": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Liveness: the process answers */
        get: operations["ProbesController_live"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/metrics": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Prometheus metrics of this instance (text exposition format); scrape it with a bearer token holding metrics:read
         * @description HTTP request durations by route pattern and status, messages stored, agent turn durations and the turns waiting and running, connected sockets by transport, expiry sweeps, rate-limit refusals by rule and transport, the PostgreSQL pool (nothing on SQLite), and Node's process metrics.
         */
        get: operations["MetricsController_scrape"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/readyz": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Readiness: the database and, when REDIS_URL is set, Redis answer, and the instance is not shutting down
         * @description A 503 names what does not answer; its `details` are the check's result, as in a 200.
         */
        get: operations["ProbesController_ready"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        AgentDto: {
            /** Format: date-time */
            createdAt: string;
            /** Format: uuid */
            id: string;
            /** @example support-bot */
            name: string;
            runtime: components["schemas"]["AgentRuntimeDto"];
            settings: components["schemas"]["AgentSettingsDto"];
            /** @enum {string} */
            status: "active" | "inactive";
            /** Format: date-time */
            updatedAt: string;
        };
        AgentErrorDto: {
            /** @example PROVIDER_TIMEOUT */
            code: string;
            message: string;
        };
        AgentListDto: {
            agents: components["schemas"]["AgentDto"][];
            limit: number;
            offset: number;
            /** @description Items matching the filters, over all pages */
            total: number;
        };
        AgentResponseDto: {
            actions: string[];
            /** Format: uuid */
            agentId: string;
            /** Format: uuid */
            messageId: string;
            text: string;
            thought: string | null;
        };
        AgentRuntimeDto: {
            /**
             * @description OpenAI-compatible base URL; the key comes from the environment, never from here
             * @example http://127.0.0.1:8080/v1
             */
            baseUrl?: string;
            /**
             * @description Model name for the openai provider
             * @example gpt-4o-mini
             */
            model?: string;
            /**
             * @description What produces the agent's replies
             * @default echo
             * @enum {string}
             */
            provider: "echo" | "openai";
        };
        AgentSettingsDto: {
            /** @description The agent tier of the timeout hierarchy: between the global defaults and the session request */
            timeoutConfig?: components["schemas"]["TimeoutConfigDto"];
        };
        ApiKeyDto: {
            /** Format: date-time */
            createdAt: string;
            /** Format: date-time */
            expiresAt: string | null;
            /** Format: uuid */
            id: string;
            /** Format: date-time */
            lastUsedAt: string | null;
            name: string;
            /** Format: date-time */
            revokedAt: string | null;
            scopes: ("sessions:create" | "sessions:read" | "sessions:write" | "sessions:manage" | "sessions:health" | "agents:read" | "agents:manage" | "messaging:read" | "messaging:write" | "messaging:manage" | "metrics:read" | "admin")[];
            /**
             * @description The first characters of the token
             * @example sb_key_AbCd
             */
            tokenPrefix: string;
        };
        ApiKeyListDto: {
            keys: components["schemas"]["ApiKeyDto"][];
        };
        AttachmentDto: {
            /** @example cat.png */
            name?: string;
            /** @example image */
            type: string;
            /** @example https://files.example.com/cat.png */
            url: string;
        };
        ChannelDto: {
            /** Format: date-time */
            createdAt: string;
            /** Format: uuid */
            id: string;
            metadata: {
                [key: string]: unknown;
            };
            name: string | null;
            participants: components["schemas"]["ParticipantDto"][];
            /**
             * @description session: owned by a session; group: created here
             * @enum {string}
             */
            type: "session" | "group";
        };
        ChannelMessageDto: {
            actions?: string[];
            /** @description The sender: a user id, or the agent id for agent replies */
            authorId: string;
            /** Format: uuid */
            channelId: string;
            /** Format: date-time */
            createdAt: string;
            /**
             * Format: uuid
             * @description A UUID version 7 assigned by the server: ids sort by the millisecond they were made in
             */
            id: string;
            isAgent: boolean;
            /**
             * Format: uuid
             * @description The client messageId it was sent with
             */
            messageId?: string;
            metadata: {
                [key: string]: unknown;
            };
            text: string;
            thought?: string;
            /** @description createdAt as epoch ms: the value cursors use */
            timestamp: number;
        };
        ChannelMessagePageDto: {
            cursors: {
                after?: number | null;
                before?: number | null;
            };
            hasMore: boolean;
            /** @description Newest first */
            messages: components["schemas"]["ChannelMessageDto"][];
        };
        CommandDto: {
            /** Format: uuid */
            agentId: string;
            /** Format: uuid */
            commandId: string;
            /** Format: date-time */
            completedAt: string | null;
            /** Format: date-time */
            createdAt: string;
            error: string | null;
            /** @description Milliseconds from running to its end */
            executionTime: number | null;
            /** @example analyze project structure */
            instruction: string;
            parameters: {
                [key: string]: unknown;
            };
            /**
             * @description An agent runs its waiting commands high before normal before low
             * @enum {string}
             */
            priority: "low" | "normal" | "high";
            result: {
                [key: string]: unknown;
            } | null;
            /** @enum {string} */
            status: "queued" | "running" | "completed" | "failed";
        };
        CommandListDto: {
            commands: components["schemas"]["CommandDto"][];
            limit: number;
            offset: number;
            /** @description Items matching the filters, over all pages */
            total: number;
        };
        CreateAgentDto: {
            /**
             * @description Unique name
             * @example support-bot
             */
            name: string;
            /** @description Defaults to { provider: "echo" } */
            runtime?: components["schemas"]["AgentRuntimeDto"];
            settings?: components["schemas"]["AgentSettingsDto"];
            /**
             * @default active
             * @enum {string}
             */
            status?: "active" | "inactive";
        };
        CreateApiKeyDto: {
            /**
             * Format: date-time
             * @description After this instant the key is refused
             */
            expiresAt?: string;
            /** @example chat-frontend */
            name: string;
            /**
             * @example [
             *       "sessions:create",
             *       "sessions:read",
             *       "sessions:write"
             *     ]
             */
            scopes: ("sessions:create" | "sessions:read" | "sessions:write" | "sessions:manage" | "sessions:health" | "agents:read" | "agents:manage" | "messaging:read" | "messaging:write" | "messaging:manage" | "metrics:read" | "admin")[];
        };
        CreateChannelDto: {
            metadata?: {
                [key: string]: unknown;
            };
            /** @example incident-42 */
            name?: string;
            /** @description Agents listed here answer user messages, one at a time, in order */
            participants?: components["schemas"]["ParticipantDto"][];
        };
        CreatedApiKeyDto: {
            /** Format: date-time */
            createdAt: string;
            /** Format: date-time */
            expiresAt: string | null;
            /** Format: uuid */
            id: string;
            /** Format: date-time */
            lastUsedAt: string | null;
            name: string;
            /** Format: date-time */
            revokedAt: string | null;
            scopes: ("sessions:create" | "sessions:read" | "sessions:write" | "sessions:manage" | "sessions:health" | "agents:read" | "agents:manage" | "messaging:read" | "messaging:write" | "messaging:manage" | "metrics:read" | "admin")[];
            /** @description The token. Shown only in this response: it is stored hashed and cannot be recovered */
            token?: string;
            /**
             * @description The first characters of the token
             * @example sb_key_AbCd
             */
            tokenPrefix: string;
        };
        CreatedSessionDto: {
            /** Format: uuid */
            agentId: string;
            /**
             * Format: uuid
             * @description The session's dedicated channel
             */
            channelId: string;
            /** Format: date-time */
            createdAt: string;
            /** Format: date-time */
            expiresAt: string;
            isNearExpiration: boolean;
            /** Format: date-time */
            lastActivity: string;
            metadata: {
                [key: string]: unknown;
            };
            renewalCount: number;
            /** Format: uuid */
            sessionId: string;
            /** @enum {string} */
            status: "active" | "expired";
            timeoutConfig: components["schemas"]["ResolvedTimeoutConfigDto"];
            /** @description Milliseconds until expiry (0 once expired) */
            timeRemaining: number;
            /** @description Bearer token valid for this session only; shown once */
            token: string;
            userId: string;
        };
        CreateSessionDto: {
            /**
             * Format: uuid
             * @description An existing agent
             */
            agentId: string;
            /**
             * @description At most 16 KB of JSON, nested at most 5 levels
             * @example {
             *       "platform": "web"
             *     }
             */
            metadata?: {
                [key: string]: unknown;
            };
            /** @description The session tier; merged over the agent's settings and the global defaults */
            timeoutConfig?: components["schemas"]["TimeoutConfigDto"];
            /**
             * @description Who talks to the agent
             * @example user-456
             */
            userId: string;
        };
        ErrorEnvelopeDto: {
            /**
             * @description Stable machine-readable code
             * @example SESSION_NOT_FOUND
             */
            code: string;
            /** @example {} */
            details: {
                [key: string]: unknown;
            };
            /**
             * @description The error class
             * @example SessionNotFoundError
             */
            error: string;
            /** @example Session 3f1c… does not exist */
            message: string;
        };
        MessageCursorsDto: {
            /** @description Pass as `after` for newer messages */
            after: number | null;
            /** @description Pass as `before` for older messages */
            before: number | null;
        };
        ParticipantDto: {
            /**
             * @description A user id, or an agent id when kind is agent
             * @example user-456
             */
            entityId: string;
            /** @enum {string} */
            kind: "user" | "agent";
        };
        PostedChannelMessageDto: {
            /** @description sync/http mode, when the agent failed; the user message is stored */
            agentError?: components["schemas"]["AgentErrorDto"];
            /** @description sync/http mode only */
            agentResponse?: components["schemas"]["AgentResponseDto"] | null;
            /** @example true */
            success: boolean;
            userMessage: components["schemas"]["ChannelMessageDto"];
        };
        ResolvedTimeoutConfigDto: {
            /** @example true */
            autoRenew: boolean;
            /** @example 180 */
            maxDurationMinutes: number;
            /** @example 30 */
            timeoutMinutes: number;
            /** @example 5 */
            warningThresholdMinutes: number;
        };
        SendChannelMessageDto: {
            /**
             * @description Who sends it: the caller itself (its API key id, the default); only an admin key may name anyone else
             * @example user-456
             */
            entityId?: string;
            /**
             * Format: uuid
             * @description Client-chosen id; a retry with the same id stores nothing new
             */
            messageId?: string;
            metadata?: {
                [key: string]: unknown;
            };
            /**
             * @description websocket: answer at once, reply via messageBroadcast; sync/http: wait and include agentResponse; stream/sse: Server-Sent Events
             * @default websocket
             * @enum {string}
             */
            mode?: "websocket" | "sync" | "http" | "stream" | "sse";
            /** @example Ada */
            senderName?: string;
            /** @example Hello */
            text: string;
            /**
             * @description The newer name for `mode`; wins when both are given
             * @enum {string}
             */
            transport?: "websocket" | "sync" | "http" | "stream" | "sse";
        };
        SendSessionMessageDto: {
            attachments?: components["schemas"]["AttachmentDto"][];
            /** @example Hello, how can I help you today? */
            content: string;
            /**
             * Format: uuid
             * @description Client-chosen id: a retry with the same id in the same session stores nothing new and answers with the stored message
             */
            messageId?: string;
            /** @description At most 16 KB of JSON, nested at most 5 levels */
            metadata?: {
                [key: string]: unknown;
            };
            /**
             * @description websocket: answer at once, reply via messageBroadcast; sync/http: wait and include agentResponse; stream/sse: Server-Sent Events
             * @default websocket
             * @enum {string}
             */
            mode?: "websocket" | "sync" | "http" | "stream" | "sse";
            /**
             * @description The newer name for `mode`; wins when both are given
             * @enum {string}
             */
            transport?: "websocket" | "sync" | "http" | "stream" | "sse";
        };
        SentSessionMessageDto: {
            actions?: string[];
            attachments: components["schemas"]["AttachmentDto"][];
            /** @description The sender: a user id, or the agent id for agent replies */
            authorId: string;
            content: string;
            /** Format: date-time */
            createdAt: string;
            /**
             * Format: uuid
             * @description A UUID version 7 assigned by the server: ids sort by the millisecond they were made in
             */
            id: string;
            isAgent: boolean;
            /**
             * Format: uuid
             * @description The client messageId it was sent with
             */
            messageId?: string;
            metadata: {
                [key: string]: unknown;
            };
            sessionStatus: components["schemas"]["SessionStatusDto"];
            /**
             * @description Always true on 201: seed 000's resilient sender retries until it sees it
             * @enum {boolean}
             */
            success: true;
            thought?: string;
            /** @description createdAt as epoch ms: the value cursors use */
            timestamp: number;
        };
        SessionDto: {
            /** Format: uuid */
            agentId: string;
            /**
             * Format: uuid
             * @description The session's dedicated channel
             */
            channelId: string;
            /** Format: date-time */
            createdAt: string;
            /** Format: date-time */
            expiresAt: string;
            isNearExpiration: boolean;
            /** Format: date-time */
            lastActivity: string;
            metadata: {
                [key: string]: unknown;
            };
            renewalCount: number;
            /** Format: uuid */
            sessionId: string;
            /** @enum {string} */
            status: "active" | "expired";
            timeoutConfig: components["schemas"]["ResolvedTimeoutConfigDto"];
            /** @description Milliseconds until expiry (0 once expired) */
            timeRemaining: number;
            userId: string;
        };
        SessionListDto: {
            limit: number;
            offset: number;
            sessions: components["schemas"]["SessionSummaryDto"][];
            /** @description Counts over agentId/userId filters, whatever the status filter */
            stats: components["schemas"]["SessionStatsDto"];
            /** @description Items matching the filters, over all pages */
            total: number;
        };
        SessionMessageDto: {
            actions?: string[];
            attachments: components["schemas"]["AttachmentDto"][];
            /** @description The sender: a user id, or the agent id for agent replies */
            authorId: string;
            content: string;
            /** Format: date-time */
            createdAt: string;
            /**
             * Format: uuid
             * @description A UUID version 7 assigned by the server: ids sort by the millisecond they were made in
             */
            id: string;
            isAgent: boolean;
            /**
             * Format: uuid
             * @description The client messageId it was sent with
             */
            messageId?: string;
            metadata: {
                [key: string]: unknown;
            };
            thought?: string;
            /** @description createdAt as epoch ms: the value cursors use */
            timestamp: number;
        };
        SessionMessagePageDto: {
            cursors: components["schemas"]["MessageCursorsDto"];
            /** @description More messages exist beyond this page in the direction read */
            hasMore: boolean;
            /** @description Newest first */
            messages: components["schemas"]["SessionMessageDto"][];
        };
        SessionsHealthDto: {
            /** @example 123 */
            activeSessions: number;
            /**
             * @description Active sessions inside their warning window
             * @example 4
             */
            expiringSoon: number;
            /**
             * @description Sessions past their expiry still stored, awaiting the purge
             * @example 2
             */
            invalidSessions: number;
            /**
             * @example healthy
             * @enum {string}
             */
            status: "healthy";
            /** Format: date-time */
            timestamp: string;
            /**
             * @description Seconds since this instance started
             * @example 3600
             */
            uptime: number;
        };
        SessionStatsDto: {
            activeSessions: number;
            expiredSessions: number;
            totalSessions: number;
        };
        SessionStatusDto: {
            /** Format: date-time */
            expiresAt: string;
            isNearExpiration: boolean;
            renewalCount: number;
            /** @description True when this message moved expiresAt forward */
            wasRenewed: boolean;
        };
        SessionSummaryDto: {
            /** Format: uuid */
            agentId: string;
            /**
             * Format: uuid
             * @description The session's dedicated channel
             */
            channelId: string;
            /** Format: date-time */
            createdAt: string;
            /** Format: date-time */
            expiresAt: string;
            isNearExpiration: boolean;
            /** Format: date-time */
            lastActivity: string;
            renewalCount: number;
            /** Format: uuid */
            sessionId: string;
            /** @enum {string} */
            status: "active" | "expired";
            /** @description Milliseconds until expiry (0 once expired) */
            timeRemaining: number;
            userId: string;
        };
        TimeoutConfigDto: {
            /**
             * @description Slide expiresAt forward on every message and heartbeat
             * @example true
             */
            autoRenew?: boolean;
            /**
             * @description Hard cap on the session lifetime, counted from creation; never below timeoutMinutes
             * @example 180
             */
            maxDurationMinutes?: number;
            /**
             * @description Inactivity timeout
             * @example 30
             */
            timeoutMinutes?: number;
            /**
             * @description How long before expiry a session counts as near expiration
             * @example 5
             */
            warningThresholdMinutes?: number;
        };
        TimeoutUpdatedDto: {
            /** Format: date-time */
            expiresAt: string;
            renewalCount: number;
            /** Format: uuid */
            sessionId: string;
            timeoutConfig: components["schemas"]["ResolvedTimeoutConfigDto"];
        };
        UpdateAgentDto: {
            /**
             * @description Unique name
             * @example support-bot
             */
            name?: string;
            /** @description Defaults to { provider: "echo" } */
            runtime?: components["schemas"]["AgentRuntimeDto"];
            settings?: components["schemas"]["AgentSettingsDto"];
            /**
             * @default active
             * @enum {string}
             */
            status?: "active" | "inactive";
        };
        UpdateTimeoutDto: {
            /**
             * @description Slide expiresAt forward on every message and heartbeat
             * @example true
             */
            autoRenew?: boolean;
            /**
             * @description Hard cap on the session lifetime, counted from creation; never below timeoutMinutes
             * @example 180
             */
            maxDurationMinutes?: number;
            /**
             * @description Inactivity timeout
             * @example 30
             */
            timeoutMinutes?: number;
            /**
             * @description How long before expiry a session counts as near expiration
             * @example 5
             */
            warningThresholdMinutes?: number;
        };
    };
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    AgentsController_list: {
        parameters: {
            query?: {
                limit?: number;
                offset?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AgentListDto"];
                };
            };
            /** @description Invalid input: ValidationError, MissingFieldsError, InvalidUuidError, InvalidContentError, InvalidMetadataError, InvalidPaginationError, InvalidTimeoutConfigError or MalformedJsonError */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
            /** @description Missing or unknown token (UnauthorizedError) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
            /** @description The token lacks the scope or is bound to another session (ForbiddenError) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
        };
    };
    AgentsController_create: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateAgentDto"];
            };
        };
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AgentDto"];
                };
            };
            /** @description Invalid input: ValidationError, MissingFieldsError, InvalidUuidError, InvalidContentError, InvalidMetadataError, InvalidPaginationError, InvalidTimeoutConfigError or MalformedJsonError */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
            /** @description Missing or unknown token (UnauthorizedError) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
            /** @description The token lacks the scope or is bound to another session (ForbiddenError) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
            /** @description Conflicts with existing state (ConflictError) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
            /** @description The body is over the size limit (PayloadTooLargeError) */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
            /** @description The body is not application/json (UnsupportedMediaTypeError) */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
        };
    };
    AgentsController_get: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                agentId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AgentDto"];
                };
            };
            /** @description Invalid input: ValidationError, MissingFieldsError, InvalidUuidError, InvalidContentError, InvalidMetadataError, InvalidPaginationError, InvalidTimeoutConfigError or MalformedJsonError */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
            /** @description Missing or unknown token (UnauthorizedError) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
            /** @description The token lacks the scope or is bound to another session (ForbiddenError) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
            /** @description The resource does not exist */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
        };
    };
    AgentsController_remove: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                agentId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": unknown;
                };
            };
            /** @description Invalid input: ValidationError, MissingFieldsError, InvalidUuidError, InvalidContentError, InvalidMetadataError, InvalidPaginationError, InvalidTimeoutConfigError or MalformedJsonError */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
            /** @description Missing or unknown token (UnauthorizedError) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
            /** @description The token lacks the scope or is bound to another session (ForbiddenError) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
            /** @description The resource does not exist */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
            /** @description Conflicts with existing state (ConflictError) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
        };
    };
    AgentsController_update: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                agentId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["UpdateAgentDto"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AgentDto"];
                };
            };
            /** @description Invalid input: ValidationError, MissingFieldsError, InvalidUuidError, InvalidContentError, InvalidMetadataError, InvalidPaginationError, InvalidTimeoutConfigError or MalformedJsonError */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
            /** @description Missing or unknown token (UnauthorizedError) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
            /** @description The token lacks the scope or is bound to another session (ForbiddenError) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
            /** @description The resource does not exist */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
            /** @description Conflicts with existing state (ConflictError) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
            /** @description The body is over the size limit (PayloadTooLargeError) */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
            /** @description The body is not application/json (UnsupportedMediaTypeError) */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
        };
    };
    CommandsController_list: {
        parameters: {
            query?: {
                limit?: number;
                offset?: number;
            };
            header?: never;
            path: {
                agentId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CommandListDto"];
                };
            };
            /** @description Invalid input: ValidationError, MissingFieldsError, InvalidUuidError, InvalidContentError, InvalidMetadataError, InvalidPaginationError, InvalidTimeoutConfigError or MalformedJsonError */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
            /** @description Missing or unknown token (UnauthorizedError) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
            /** @description The token lacks the scope or is bound to another session (ForbiddenError) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
            /** @description The resource does not exist */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
        };
    };
    CommandsController_get: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                agentId: string;
                commandId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CommandDto"];
                };
            };
            /** @description Invalid input: ValidationError, MissingFieldsError, InvalidUuidError, InvalidContentError, InvalidMetadataError, InvalidPaginationError, InvalidTimeoutConfigError or MalformedJsonError */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
            /** @description Missing or unknown token (UnauthorizedError) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
            /** @description The token lacks the scope or is bound to another session (ForbiddenError) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
            /** @description The resource does not exist */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
        };
    };
    AsyncApiController_asyncApi: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The AsyncAPI document */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        [key: string]: unknown;
                    };
                };
            };
        };
    };
    ApiKeysController_list: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiKeyListDto"];
                };
            };
            /** @description Missing or unknown token (UnauthorizedError) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
            /** @description The token lacks the scope or is bound to another session (ForbiddenError) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
        };
    };
    ApiKeysController_create: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateApiKeyDto"];
            };
        };
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CreatedApiKeyDto"];
                };
            };
            /** @description Invalid input: ValidationError, MissingFieldsError, InvalidUuidError, InvalidContentError, InvalidMetadataError, InvalidPaginationError, InvalidTimeoutConfigError or MalformedJsonError */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
            /** @description Missing or unknown token (UnauthorizedError) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
            /** @description The token lacks the scope or is bound to another session (ForbiddenError) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
            /** @description The body is over the size limit (PayloadTooLargeError) */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
            /** @description The body is not application/json (UnsupportedMediaTypeError) */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
        };
    };
    ApiKeysController_revoke: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                keyId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": unknown;
                };
            };
            /** @description Invalid input: ValidationError, MissingFieldsError, InvalidUuidError, InvalidContentError, InvalidMetadataError, InvalidPaginationError, InvalidTimeoutConfigError or MalformedJsonError */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
            /** @description Missing or unknown token (UnauthorizedError) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
            /** @description The token lacks the scope or is bound to another session (ForbiddenError) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
            /** @description The resource does not exist */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
        };
    };
    ChannelsController_create: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateChannelDto"];
            };
        };
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ChannelDto"];
                };
            };
            /** @description Invalid input: ValidationError, MissingFieldsError, InvalidUuidError, InvalidContentError, InvalidMetadataError, InvalidPaginationError, InvalidTimeoutConfigError or MalformedJsonError */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
            /** @description Missing or unknown token (UnauthorizedError) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
            /** @description The token lacks the scope or is bound to another session (ForbiddenError) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
            /** @description The resource does not exist */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
            /** @description The body is over the size limit (PayloadTooLargeError) */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
            /** @description The body is not application/json (UnsupportedMediaTypeError) */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
        };
    };
    ChannelsController_get: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                channelId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ChannelDto"];
                };
            };
            /** @description Invalid input: ValidationError, MissingFieldsError, InvalidUuidError, InvalidContentError, InvalidMetadataError, InvalidPaginationError, InvalidTimeoutConfigError or MalformedJsonError */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
            /** @description Missing or unknown token (UnauthorizedError) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
            /** @description The token lacks the scope or is bound to another session (ForbiddenError) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
            /** @description The resource does not exist */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
        };
    };
    ChannelMessagesController_list: {
        parameters: {
            query?: {
                /** @description Epoch ms: only messages newer than this (use cursors.after of a page to poll for new ones) */
                after?: number;
                /** @description Epoch ms: only messages older than this (use cursors.before of the previous page) */
                before?: number;
                limit?: number;
            };
            header?: never;
            path: {
                channelId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ChannelMessagePageDto"];
                };
            };
            /** @description Invalid input: ValidationError, MissingFieldsError, InvalidUuidError, InvalidContentError, InvalidMetadataError, InvalidPaginationError, InvalidTimeoutConfigError or MalformedJsonError */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
            /** @description Missing or unknown token (UnauthorizedError) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
            /** @description The token lacks the scope or is bound to another session (ForbiddenError) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
            /** @description The resource does not exist */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
        };
    };
    ChannelMessagesController_post: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                channelId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["SendChannelMessageDto"];
            };
        };
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PostedChannelMessageDto"];
                    "text/event-stream": components["schemas"]["PostedChannelMessageDto"];
                };
            };
            /** @description Invalid input: ValidationError, MissingFieldsError, InvalidUuidError, InvalidContentError, InvalidMetadataError, InvalidPaginationError, InvalidTimeoutConfigError or MalformedJsonError */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                    "text/event-stream": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
            /** @description Missing or unknown token (UnauthorizedError) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
            /** @description The token lacks the scope or is bound to another session (ForbiddenError) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
            /** @description The resource does not exist */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                    "text/event-stream": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
            /** @description Conflicts with existing state (ConflictError) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                    "text/event-stream": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
            /** @description The body is over the size limit (PayloadTooLargeError) */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                    "text/event-stream": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
            /** @description The body is not application/json (UnsupportedMediaTypeError) */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                    "text/event-stream": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
            /** @description Rate limit exceeded (RateLimitError, Retry-After header) */
            429: {
                headers: {
                    /** @description Seconds until the exceeded limit's window ends */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                    "text/event-stream": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
        };
    };
    SessionsController_list: {
        parameters: {
            query?: {
                agentId?: string;
                limit?: number;
                offset?: number;
                status?: "active" | "expired" | "all";
                userId?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SessionListDto"];
                };
            };
            /** @description Invalid input: ValidationError, MissingFieldsError, InvalidUuidError, InvalidContentError, InvalidMetadataError, InvalidPaginationError, InvalidTimeoutConfigError or MalformedJsonError */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
            /** @description Missing or unknown token (UnauthorizedError) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
            /** @description The token lacks the scope or is bound to another session (ForbiddenError) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
        };
    };
    SessionsController_create: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateSessionDto"];
            };
        };
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CreatedSessionDto"];
                };
            };
            /** @description Invalid input: ValidationError, MissingFieldsError, InvalidUuidError, InvalidContentError, InvalidMetadataError, InvalidPaginationError, InvalidTimeoutConfigError or MalformedJsonError */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
            /** @description Missing or unknown token (UnauthorizedError) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
            /** @description The token lacks the scope or is bound to another session (ForbiddenError) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
            /** @description The resource does not exist */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
            /** @description Conflicts with existing state (ConflictError) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
            /** @description The body is over the size limit (PayloadTooLargeError) */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
            /** @description The body is not application/json (UnsupportedMediaTypeError) */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
            /** @description Rate limit exceeded (RateLimitError, Retry-After header) */
            429: {
                headers: {
                    /** @description Seconds until the exceeded limit's window ends */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
        };
    };
    SessionsController_get: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                sessionId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SessionDto"];
                };
            };
            /** @description Invalid input: ValidationError, MissingFieldsError, InvalidUuidError, InvalidContentError, InvalidMetadataError, InvalidPaginationError, InvalidTimeoutConfigError or MalformedJsonError */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
            /** @description Missing or unknown token (UnauthorizedError) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
            /** @description The token lacks the scope or is bound to another session (ForbiddenError) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
            /** @description The resource does not exist */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
            /** @description The session has expired (SessionExpiredError, details.expiresAt) */
            410: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
            /** @description Rate limit exceeded (RateLimitError, Retry-After header) */
            429: {
                headers: {
                    /** @description Seconds until the exceeded limit's window ends */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
        };
    };
    SessionsController_remove: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                sessionId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": unknown;
                };
            };
            /** @description Invalid input: ValidationError, MissingFieldsError, InvalidUuidError, InvalidContentError, InvalidMetadataError, InvalidPaginationError, InvalidTimeoutConfigError or MalformedJsonError */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
            /** @description Missing or unknown token (UnauthorizedError) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
            /** @description The token lacks the scope or is bound to another session (ForbiddenError) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
            /** @description The resource does not exist */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
            /** @description The session has expired (SessionExpiredError, details.expiresAt) */
            410: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
            /** @description Rate limit exceeded (RateLimitError, Retry-After header) */
            429: {
                headers: {
                    /** @description Seconds until the exceeded limit's window ends */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
        };
    };
    SessionsController_heartbeat: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                sessionId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SessionDto"];
                };
            };
            /** @description Invalid input: ValidationError, MissingFieldsError, InvalidUuidError, InvalidContentError, InvalidMetadataError, InvalidPaginationError, InvalidTimeoutConfigError or MalformedJsonError */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
            /** @description Missing or unknown token (UnauthorizedError) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
            /** @description The token lacks the scope or is bound to another session (ForbiddenError) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
            /** @description The resource does not exist */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
            /** @description The session has expired (SessionExpiredError, details.expiresAt) */
            410: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
            /** @description Rate limit exceeded (RateLimitError, Retry-After header) */
            429: {
                headers: {
                    /** @description Seconds until the exceeded limit's window ends */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
        };
    };
    SessionsController_messages: {
        parameters: {
            query?: {
                /** @description Epoch ms: only messages newer than this (use cursors.after of a page to poll for new ones) */
                after?: number;
                /** @description Epoch ms: only messages older than this (use cursors.before of the previous page) */
                before?: number;
                limit?: number;
            };
            header?: never;
            path: {
                sessionId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SessionMessagePageDto"];
                };
            };
            /** @description Invalid input: ValidationError, MissingFieldsError, InvalidUuidError, InvalidContentError, InvalidMetadataError, InvalidPaginationError, InvalidTimeoutConfigError or MalformedJsonError */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
            /** @description Missing or unknown token (UnauthorizedError) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
            /** @description The token lacks the scope or is bound to another session (ForbiddenError) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
            /** @description The resource does not exist */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
            /** @description The session has expired (SessionExpiredError, details.expiresAt) */
            410: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
            /** @description Rate limit exceeded (RateLimitError, Retry-After header) */
            429: {
                headers: {
                    /** @description Seconds until the exceeded limit's window ends */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
        };
    };
    SessionsController_send: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                sessionId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["SendSessionMessageDto"];
            };
        };
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SentSessionMessageDto"];
                    "text/event-stream": components["schemas"]["SentSessionMessageDto"];
                };
            };
            /** @description Invalid input: ValidationError, MissingFieldsError, InvalidUuidError, InvalidContentError, InvalidMetadataError, InvalidPaginationError, InvalidTimeoutConfigError or MalformedJsonError */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                    "text/event-stream": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
            /** @description Missing or unknown token (UnauthorizedError) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
            /** @description The token lacks the scope or is bound to another session (ForbiddenError) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
            /** @description The resource does not exist */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                    "text/event-stream": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
            /** @description The session has expired (SessionExpiredError, details.expiresAt) */
            410: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                    "text/event-stream": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
            /** @description The body is over the size limit (PayloadTooLargeError) */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                    "text/event-stream": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
            /** @description The body is not application/json (UnsupportedMediaTypeError) */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                    "text/event-stream": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
            /** @description Rate limit exceeded (RateLimitError, Retry-After header) */
            429: {
                headers: {
                    /** @description Seconds until the exceeded limit's window ends */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                    "text/event-stream": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
        };
    };
    SessionsController_renew: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                sessionId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SessionDto"];
                };
            };
            /** @description Invalid input: ValidationError, MissingFieldsError, InvalidUuidError, InvalidContentError, InvalidMetadataError, InvalidPaginationError, InvalidTimeoutConfigError or MalformedJsonError */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
            /** @description Missing or unknown token (UnauthorizedError) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
            /** @description The token lacks the scope or is bound to another session (ForbiddenError) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
            /** @description The resource does not exist */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
            /** @description The session has expired (SessionExpiredError, details.expiresAt) */
            410: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
            /** @description The session cannot be renewed: it reached its maximum duration (SessionRenewalError) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
            /** @description Rate limit exceeded (RateLimitError, Retry-After header) */
            429: {
                headers: {
                    /** @description Seconds until the exceeded limit's window ends */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
        };
    };
    SessionsController_updateTimeout: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                sessionId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["UpdateTimeoutDto"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TimeoutUpdatedDto"];
                };
            };
            /** @description Invalid input: ValidationError, MissingFieldsError, InvalidUuidError, InvalidContentError, InvalidMetadataError, InvalidPaginationError, InvalidTimeoutConfigError or MalformedJsonError */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
            /** @description Missing or unknown token (UnauthorizedError) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
            /** @description The token lacks the scope or is bound to another session (ForbiddenError) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
            /** @description The resource does not exist */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
            /** @description The session has expired (SessionExpiredError, details.expiresAt) */
            410: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
            /** @description The body is over the size limit (PayloadTooLargeError) */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
            /** @description The body is not application/json (UnsupportedMediaTypeError) */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
            /** @description Rate limit exceeded (RateLimitError, Retry-After header) */
            429: {
                headers: {
                    /** @description Seconds until the exceeded limit's window ends */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
        };
    };
    SessionsHealthController_health: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SessionsHealthDto"];
                };
            };
            /** @description Missing or unknown token (UnauthorizedError) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
            /** @description The token lacks the scope or is bound to another session (ForbiddenError) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
            /** @description The service or its database does not answer (ServiceUnavailableError) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
        };
    };
    ProbesController_live: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": unknown;
                };
            };
        };
    };
    MetricsController_scrape: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The metrics */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/plain": string;
                };
            };
            /** @description Missing or unknown token (UnauthorizedError) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
            /** @description The token lacks the scope or is bound to another session (ForbiddenError) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
        };
    };
    ProbesController_ready: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": unknown;
                };
            };
            /** @description The service or its database does not answer (ServiceUnavailableError) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
        };
    };
}
