package io.maaschain.cli;

import java.net.URI;
import java.net.URISyntaxException;
import picocli.CommandLine.Option;

/** The shared {@code --node URL} option. */
final class NodeOption {
    static final String DEFAULT_URL = "http://127.0.0.1:8645";

    @Option(names = "--node", defaultValue = DEFAULT_URL, description = "Node REST URL (default: ${DEFAULT-VALUE}).")
    String url;

    NodeClient client() {
        return new NodeClient(parse(url));
    }

    /** An http(s) URL with a host, or a usage error that names the option and shows the expected form. */
    static URI parse(String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new CliException.Usage("--node '" + url + "' is not a URL; expected e.g. " + DEFAULT_URL);
        }
        if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
            throw new CliException.Usage("--node '" + url + "' is not an http(s) URL with a host; expected e.g. " + DEFAULT_URL);
        }
        return URI.create(url.endsWith("/") ? url : url + "/");
    }
}
