package dev.observability.spring.autoconfigure.tracing;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;

import io.opentelemetry.common.ComponentLoader;
import io.opentelemetry.sdk.common.export.HttpSenderConfig;
import io.opentelemetry.sdk.common.export.HttpSenderProvider;
import org.jspecify.annotations.Nullable;

/**
 * Loads components for an OpenTelemetry exporter as OpenTelemetry does, except that the
 * HTTP sender of a plain {@code http://} endpoint gets a {@link PlaintextSslContext}.
 * <p>
 * OpenTelemetry gives its sender no SSL context for an {@code http://} endpoint, and the
 * JDK's {@code HttpClient} then creates the JDK's default one, which loads the JSSE
 * provider and parses the trust store at start-up (about 3 % of the start-up CPU of the
 * harness's app with OTLP export). The sender's configuration is otherwise handed on
 * untouched; an {@code https://} endpoint, or a context set by the application, keeps
 * OpenTelemetry's behaviour. With more than one sender provider on the class path,
 * OpenTelemetry picks one by class name, so they are left as they are.
 */
final class PlainHttpSenderComponentLoader implements ComponentLoader {

	private final ComponentLoader delegate;

	/**
	 * Creates a loader over the one OpenTelemetry would use.
	 * @param delegate the loader that finds the components
	 */
	PlainHttpSenderComponentLoader(ComponentLoader delegate) {
		this.delegate = delegate;
	}

	@Override
	public <T> Iterable<T> load(Class<T> type) {
		Iterable<T> loaded = this.delegate.load(type);
		if (type != HttpSenderProvider.class) {
			return loaded;
		}
		List<T> providers = new ArrayList<>();
		loaded.forEach(providers::add);
		if (providers.size() != 1) {
			return providers;
		}
		HttpSenderProvider provider = (HttpSenderProvider) providers.get(0);
		HttpSenderProvider plain = (config) -> provider.createSender(withPlaintextTls(config));
		return List.of(type.cast(plain));
	}

	/**
	 * Returns the configuration of a sender, with a {@link PlaintextSslContext} if its
	 * endpoint is plain HTTP and it has no context of its own.
	 * @param config the configuration OpenTelemetry built
	 * @return that configuration, or a view of it with the plaintext context
	 */
	static HttpSenderConfig withPlaintextTls(HttpSenderConfig config) {
		if (config.getSslContext() != null || !"http".equalsIgnoreCase(config.getEndpoint().getScheme())) {
			return config;
		}
		PlaintextSslContext context = new PlaintextSslContext(config.getEndpoint().toString());
		// A proxy rather than a hand-written delegate, so that a method a later
		// OpenTelemetry adds is still answered by OpenTelemetry's own configuration.
		return (HttpSenderConfig) Proxy.newProxyInstance(HttpSenderConfig.class.getClassLoader(),
				new Class<?>[] { HttpSenderConfig.class }, (proxy, method, args) -> switch (method.getName()) {
					case "getSslContext" -> context;
					case "getTrustManager" -> PlaintextSslContext.TRUST_NONE;
					default -> invoke(method, config, args);
				});
	}

	private static @Nullable Object invoke(Method method, HttpSenderConfig config, @Nullable Object[] args)
			throws Throwable {
		try {
			return method.invoke(config, args);
		}
		catch (InvocationTargetException ex) {
			throw ex.getTargetException();
		}
	}

}
