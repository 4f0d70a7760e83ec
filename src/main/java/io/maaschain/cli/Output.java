package io.maaschain.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.maaschain.api.Json;
import java.util.LinkedHashMap;
import java.util.Map;

/** Prints a result either for people (aligned "key: value" lines) or, with --json, as one JSON document. */
final class Output {
    private Output() {}

    static void print(boolean json, Map<String, ?> fields) {
        if (json) {
            try {
                System.out.println(Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(fields));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
            return;
        }
        int width = fields.keySet().stream().mapToInt(String::length).max().orElse(0);
        fields.forEach((k, v) -> System.out.printf("%-" + (width + 1) + "s %s%n", k + ":", v));
    }

    /** A node's JSON object as fields to print, in the node's order. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> fields(JsonNode node) {
        return Json.MAPPER.convertValue(node, LinkedHashMap.class);
    }

    /** A JSON value as people read it: text without quotes, numbers as numbers, anything else as compact JSON. */
    static Object plain(JsonNode v) {
        if (v.isTextual()) return v.asText();
        if (v.isIntegralNumber()) return v.asLong();
        if (v.isMissingNode() || v.isNull()) return "-";
        if (v.isArray() && v.isEmpty()) return "(none)";
        return v.toString();
    }
}
