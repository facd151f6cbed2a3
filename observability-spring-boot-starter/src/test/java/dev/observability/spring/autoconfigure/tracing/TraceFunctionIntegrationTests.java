package dev.observability.spring.autoconfigure.tracing;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.observability.core.tracing.TraceContext;
import dev.observability.core.tracing.TraceFunction;
import dev.observability.core.tracing.Tracing;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.aop.support.AopUtils;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Import;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Tests for {@link TraceFunction @TraceFunction} on beans, with a real OpenTelemetry SDK
 * that keeps its spans in memory and Spring Boot's AOP auto-configuration as an
 * application has it (no AspectJ on the class path).
 */
final class TraceFunctionIntegrationTests {

	private final InMemorySpanExporter exporter = InMemorySpanExporter.create();

	private final OpenTelemetrySdk openTelemetry = OpenTelemetrySdk.builder()
		.setTracerProvider(
				SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(this.exporter)).build())
		.build();

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(AopAutoConfiguration.class, TraceFunctionAutoConfiguration.class))
		.withBean(OpenTelemetry.class, () -> this.openTelemetry)
		.withBean(PricingService.class)
		.withBean(OrderService.class)
		.withBean(Catalogue.class)
		.withBean(InventoryClient.class, DefaultInventoryClient::new);

	@AfterEach
	void closeOpenTelemetry() {
		this.openTelemetry.close();
	}

	@Test
	void annotatedMethodGetsASpanNamedAfterClassAndMethodWithItsAttributes() {
		this.contextRunner.run((context) -> {
			OrderService orders = context.getBean(OrderService.class);
			assertThat(AopUtils.isCglibProxy(orders)).isTrue();
			assertThat(orders.place("book")).isEqualTo("order for book at 42");
			SpanData place = span("OrderService.place");
			assertThat(place.getKind()).isEqualTo(SpanKind.INTERNAL);
			assertThat(place.getAttributes().get(AttributeKey.stringKey("order.channel"))).isEqualTo("web");
			assertThat(place.getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);
		});
	}

	@Test
	void methodWithoutTheAnnotationOfAProxiedBeanIsNotTraced() {
		this.contextRunner.run((context) -> {
			assertThat(context.getBean(OrderService.class).describe()).isEqualTo("orders");
			assertThat(this.exporter.getFinishedSpanItems()).isEmpty();
		});
	}

	@Test
	void callIntoAnotherTracedBeanIsAChildSpan() {
		this.contextRunner.run((context) -> {
			context.getBean(OrderService.class).place("book");
			SpanData quote = span("quote");
			SpanData place = span("OrderService.place");
			assertThat(quote.getKind()).isEqualTo(SpanKind.CLIENT);
			assertThat(quote.getParentSpanId()).isEqualTo(place.getSpanId());
			assertThat(quote.getTraceId()).isEqualTo(place.getTraceId());
		});
	}

	@Test
	void injectedFacadeSpansNestUnderTheMethodSpan() {
		this.contextRunner.run((context) -> {
			context.getBean(PricingService.class).quote("book");
			SpanData select = span("SELECT prices");
			assertThat(select.getKind()).isEqualTo(SpanKind.CLIENT);
			assertThat(select.getAttributes().get(AttributeKey.stringKey("db.system.name"))).isEqualTo("h2");
			assertThat(select.getParentSpanId()).isEqualTo(span("quote").getSpanId());
		});
	}

	@Test
	void exceptionReachesTheCallerUnchangedAndIsRecorded() {
		this.contextRunner.run((context) -> {
			OrderService orders = context.getBean(OrderService.class);
			Throwable thrown = catchThrowable(() -> orders.cancel("o-1"));
			assertThat(thrown).isSameAs(OrderService.ALREADY_SHIPPED);
			SpanData cancel = span("OrderService.cancel");
			assertThat(cancel.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
			assertThat(cancel.getAttributes().get(AttributeKey.stringKey("error.type")))
				.isEqualTo(IllegalStateException.class.getName());
			assertThat(cancel.getEvents()).extracting((event) -> event.getName()).containsExactly("exception");
		});
	}

	@Test
	void asyncResultEndsItsSpanOnCompletion() {
		this.contextRunner.run((context) -> {
			OrderService orders = context.getBean(OrderService.class);
			CompletableFuture<String> pending = new CompletableFuture<>();
			CompletableFuture<String> returned = orders.ship(pending);
			assertThat(returned).isSameAs(pending);
			assertThat(this.exporter.getFinishedSpanItems()).isEmpty();
			pending.completeExceptionally(new IllegalArgumentException("no carrier"));
			SpanData ship = span("OrderService.ship");
			assertThat(ship.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
			assertThat(ship.getAttributes().get(AttributeKey.stringKey("error.type")))
				.isEqualTo(IllegalArgumentException.class.getName());
		});
	}

	@Test
	void annotatedClassTracesItsPublicMethodsOnly() {
		this.contextRunner.run((context) -> {
			Catalogue catalogue = context.getBean(Catalogue.class);
			assertThat(catalogue.find("book")).isEqualTo("book");
			assertThat(catalogue.toString()).isNotEmpty();
			catalogue.hashCode();
			assertThat(names()).containsExactly("Catalogue.find");
			assertThat(span("Catalogue.find").getAttributes().get(AttributeKey.stringKey("layer")))
				.isEqualTo("catalogue");
		});
	}

	@Test
	void annotationOnAnInterfaceMethodIsFoundAndNamedAfterTheImplementation() {
		this.contextRunner.run((context) -> {
			InventoryClient inventory = context.getBean(InventoryClient.class);
			assertThat(AopUtils.isCglibProxy(inventory)).as("Boot proxies classes").isTrue();
			assertThat(inventory.stock("book")).isEqualTo(3);
			assertThat(names()).containsExactly("DefaultInventoryClient.stock");
		});
	}

	@Test
	void interfaceBeanIsProxiedWithoutBootsAopAutoConfigurationToo() {
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(TraceFunctionAutoConfiguration.class))
			.withBean(OpenTelemetry.class, () -> this.openTelemetry)
			.withBean(InventoryClient.class, DefaultInventoryClient::new)
			.withBean(Catalogue.class)
			.run((context) -> {
				assertThat(AopUtils.isJdkDynamicProxy(context.getBean(InventoryClient.class))).isTrue();
				assertThat(AopUtils.isCglibProxy(context.getBean(Catalogue.class))).isTrue();
				context.getBean(InventoryClient.class).stock("book");
				context.getBean(Catalogue.class).find("book");
				assertThat(names()).containsExactly("DefaultInventoryClient.stock", "Catalogue.find");
			});
	}

	@Test
	void nothingIsRecordedWhenTracingIsOff() {
		this.contextRunner.withPropertyValues("management.tracing.enabled=false").run((context) -> {
			assertThat(context.getBean(OrderService.class).place("book")).isEqualTo("order for book at 42");
			assertThat(this.exporter.getFinishedSpanItems()).isEmpty();
		});
	}

	@Test
	void applicationWithTracingOnExportsTheSpansOfAnnotatedBeans() {
		try (ConfigurableApplicationContext context = start("observability.tracing.enabled=true",
				"observability.tracing.exporter=none", "observability.tracing.sample-rate=1.0")) {
			assertThat(context.getBean(Tracing.class).isEnabled()).isTrue();
			context.getBean(OrderService.class).place("book");
			context.getBean(SdkTracerProvider.class).forceFlush().join(10, TimeUnit.SECONDS);
			assertThat(names()).containsExactly("SELECT prices", "quote", "OrderService.place");
		}
	}

	@Test
	void applicationWithTracingOffInjectsTheNoopFacade() {
		try (ConfigurableApplicationContext context = start()) {
			assertThat(context.getBean(Tracing.class)).isSameAs(Tracing.noop());
			assertThat(context.getBean(OrderService.class).place("book")).isEqualTo("order for book at 42");
			assertThat(context.getBeanNamesForType(SdkTracerProvider.class)).isEmpty();
		}
	}

	private ConfigurableApplicationContext start(String... properties) {
		SpringApplication application = new SpringApplication(TracedApplication.class);
		application.setWebApplicationType(WebApplicationType.NONE);
		application.setDefaultProperties(Map.of("spring.main.banner-mode", "off"));
		application.addInitializers(
				(context) -> context.getBeanFactory().registerSingleton("inMemorySpanExporter", this.exporter));
		return application.run(Arrays.stream(properties).map((property) -> "--" + property).toArray(String[]::new));
	}

	private SpanData span(String name) {
		List<SpanData> spans = this.exporter.getFinishedSpanItems()
			.stream()
			.filter((span) -> span.getName().equals(name))
			.toList();
		assertThat(spans).as("spans named " + name).hasSize(1);
		return spans.get(0);
	}

	private List<String> names() {
		return this.exporter.getFinishedSpanItems().stream().map(SpanData::getName).toList();
	}

	/**
	 * An application with every auto-configuration, as a service using the starter has.
	 */
	@SpringBootConfiguration
	@EnableAutoConfiguration(
			excludeName = { "org.springframework.boot.security.autoconfigure.SecurityAutoConfiguration",
					"org.springframework.boot.security.autoconfigure.UserDetailsServiceAutoConfiguration" })
	@Import({ PricingService.class, OrderService.class })
	static class TracedApplication {

	}

	static class PricingService {

		private final Tracing tracing;

		PricingService(Tracing tracing) {
			this.tracing = tracing;
		}

		@TraceFunction(spanName = "quote", kind = SpanKind.CLIENT)
		public int quote(String item) {
			try (TraceContext select = this.tracing.traceDatabaseOperation("SELECT", "prices", "h2")) {
				return 42;
			}
		}

	}

	static class OrderService {

		static final IllegalStateException ALREADY_SHIPPED = new IllegalStateException("already shipped");

		private final PricingService pricing;

		OrderService(PricingService pricing) {
			this.pricing = pricing;
		}

		@TraceFunction(attributes = "order.channel=web")
		public String place(String item) {
			return "order for " + item + " at " + this.pricing.quote(item);
		}

		public String describe() {
			return "orders";
		}

		@TraceFunction
		public void cancel(String orderId) {
			throw ALREADY_SHIPPED;
		}

		@TraceFunction
		public CompletableFuture<String> ship(CompletableFuture<String> shipment) {
			return shipment;
		}

	}

	@TraceFunction(attributes = "layer=catalogue")
	static class Catalogue {

		public String find(String item) {
			return item;
		}

	}

	interface InventoryClient {

		@TraceFunction
		int stock(String item);

	}

	static class DefaultInventoryClient implements InventoryClient {

		@Override
		public int stock(String item) {
			return 3;
		}

	}

}
