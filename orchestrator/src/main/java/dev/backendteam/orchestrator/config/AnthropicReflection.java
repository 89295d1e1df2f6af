package dev.backendteam.orchestrator.config;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * langchain4j-anthropic (a plain langchain4j module: no Quarkus extension registers it) maps its wire format, the
 * classes of its internal.api package, with Jackson by reflection. NativeConfigurationTest fails when its jar holds
 * one not named here (the names change with its version, so they are strings, each checked to be a class).
 * The specialists' runtime keeps the same list (the orchestrator does not bring it); the same test holds both.
 */
@RegisterForReflection(classNames = {
        "dev.langchain4j.model.anthropic.internal.api.AnthropicCacheControl",
        "dev.langchain4j.model.anthropic.internal.api.AnthropicCacheType",
        "dev.langchain4j.model.anthropic.internal.api.AnthropicContent",
        "dev.langchain4j.model.anthropic.internal.api.AnthropicCountTokensRequest",
        "dev.langchain4j.model.anthropic.internal.api.AnthropicCreateMessageRequest",
        "dev.langchain4j.model.anthropic.internal.api.AnthropicCreateMessageResponse",
        "dev.langchain4j.model.anthropic.internal.api.AnthropicDelta",
        "dev.langchain4j.model.anthropic.internal.api.AnthropicFormat",
        "dev.langchain4j.model.anthropic.internal.api.AnthropicImageContent",
        "dev.langchain4j.model.anthropic.internal.api.AnthropicImageContentSource",
        "dev.langchain4j.model.anthropic.internal.api.AnthropicMessage",
        "dev.langchain4j.model.anthropic.internal.api.AnthropicMessageContent",
        "dev.langchain4j.model.anthropic.internal.api.AnthropicMetadata",
        "dev.langchain4j.model.anthropic.internal.api.AnthropicModelInfo",
        "dev.langchain4j.model.anthropic.internal.api.AnthropicModelsListResponse",
        "dev.langchain4j.model.anthropic.internal.api.AnthropicOutputConfig",
        "dev.langchain4j.model.anthropic.internal.api.AnthropicOutputFormatType",
        "dev.langchain4j.model.anthropic.internal.api.AnthropicPdfContent",
        "dev.langchain4j.model.anthropic.internal.api.AnthropicPdfContentSource",
        "dev.langchain4j.model.anthropic.internal.api.AnthropicRedactedThinkingContent",
        "dev.langchain4j.model.anthropic.internal.api.AnthropicResponseMessage",
        "dev.langchain4j.model.anthropic.internal.api.AnthropicRole",
        "dev.langchain4j.model.anthropic.internal.api.AnthropicStreamingData",
        "dev.langchain4j.model.anthropic.internal.api.AnthropicTextContent",
        "dev.langchain4j.model.anthropic.internal.api.AnthropicThinking",
        "dev.langchain4j.model.anthropic.internal.api.AnthropicThinkingContent",
        "dev.langchain4j.model.anthropic.internal.api.AnthropicTool",
        "dev.langchain4j.model.anthropic.internal.api.AnthropicToolChoice",
        "dev.langchain4j.model.anthropic.internal.api.AnthropicToolChoiceType",
        "dev.langchain4j.model.anthropic.internal.api.AnthropicToolResultContent",
        "dev.langchain4j.model.anthropic.internal.api.AnthropicToolSchema",
        "dev.langchain4j.model.anthropic.internal.api.AnthropicToolUseContent",
        "dev.langchain4j.model.anthropic.internal.api.AnthropicUsage",
        "dev.langchain4j.model.anthropic.internal.api.MessageTokenCountResponse" })
public class AnthropicReflection {
}
