package dev.observability.spring.autoconfigure.sample;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Import;

/**
 * A small Spring MVC application for the tests that run the starter on a real port.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@Import(SampleController.class)
public class SampleApplication {

}
