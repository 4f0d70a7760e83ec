package io.maaschain.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.maaschain.api.Json;
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
}
