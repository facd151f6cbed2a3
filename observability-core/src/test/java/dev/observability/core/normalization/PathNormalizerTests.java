package dev.observability.core.normalization;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for {@link PathNormalizer}.
 */
final class PathNormalizerTests {

	private final PathNormalizer normalizer = PathNormalizer.create();

	@ParameterizedTest
	@CsvSource(delimiter = '|', textBlock = """
			/users/123                                             | /users/{id}
			/does/not/exist/123                                    | /does/not/exist/{id}
			/users/123/orders/456                                  | /users/{id}/orders/{id}
			/items/550e8400-e29b-41d4-a716-446655440000            | /items/{uuid}
			/items/550E8400-E29B-41D4-A716-446655440000            | /items/{uuid}
			/blobs/d41d8cd98f00b204e9800998ecf8427e                | /blobs/{hash}
			/commits/9fceb02d0ae598e95dc970b74767f19372d61af8      | /commits/{hash}
			/users/jane.doe@example.com                            | /users/{email}
			/reports/2024-01-31                                    | /reports/{date}
			/reports/2024-01-31T10:15:30Z                          | /reports/{date}
			/reset/eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U | /reset/{token}
			/keys/sk_live_4eC39HqLyjWDarjtT1zdp7dc               | /keys/{token}
			/api/movies                                            | /api/movies
			/v1/health                                             | /v1/health
			/blog/spring-boot-observability-for-everyone           | /blog/spring-boot-observability-for-everyone
			/cafe                                                  | /cafe
			""")
	void replacesVariableSegments(String path, String expected) {
		assertThat(this.normalizer.normalize(path)).isEqualTo(expected);
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', textBlock = """
			/users/123?tab=orders&page=2 | /users/{id}
			/users/123#top               | /users/{id}
			/users/123;jsessionid=ABC    | /users/{id}
			/?q=1                        | /
			''                           | /
			/                            | /
			//users///123//              | /users/{id}
			/a/b/c/d/e                   | /a/b/c/d/e
			/a/b/c/d/e/f                 | /a/b/c/d/e/...
			/a/b/c/d/e/f/g/h/i           | /a/b/c/d/e/...
			users/123                    | /users/{id}
			""")
	void dropsQueryAndBoundsSegments(String path, String expected) {
		assertThat(this.normalizer.normalize(path)).isEqualTo(expected);
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', textBlock = """
			/files/a%2Fb%2Fc             | /files/a%2Fb%2Fc
			/files/..%2F..%2Fetc%2Fpasswd | /files/..%2F..%2Fetc%2Fpasswd
			/../../etc/passwd            | /../../etc/passwd
			/./x                         | /./x
			/caf\u00e9/\u043f\u0440\u0438\u0432\u0456\u0442 | /caf\u00e9/\u043f\u0440\u0438\u0432\u0456\u0442
			/emoji/\ud83d\ude00/123      | /emoji/\ud83d\ude00/{id}
			""")
	void adversarialSegmentsStayBoundedAndNeverSplit(String path, String expected) {
		// %2F is never a separator: the segment count (and so the work) stays what the
		// raw path shows.
		assertThat(this.normalizer.normalize(path)).isEqualTo(expected);
	}

	@Test
	void cleanPathsAreReturnedAsTheyAre() {
		String path = "/api/movies";
		assertThat(this.normalizer.normalize(path)).isSameAs(path);
		assertThat(this.normalizer.normalize("/users/")).isEqualTo("/users");
		assertThat(this.normalizer.normalize("/api/movies?page=2")).isEqualTo("/api/movies");
		assertThat(this.normalizer.normalize("/a//b")).isEqualTo("/a/b");
		assertThat(this.normalizer.normalize("/a/b/123/c")).isEqualTo("/a/b/{id}/c");
	}

	@Test
	void veryLongPathsAreCutAfterMaxSegments() {
		String path = "/x".repeat(100_000);
		assertThat(this.normalizer.normalize(path)).isEqualTo("/x/x/x/x/x/...");
	}

	@Test
	void veryLongSegmentsAreNeverKeptVerbatim() {
		String segment = "a".repeat(PathNormalizer.MAX_SEGMENT_LENGTH + 1);
		assertThat(this.normalizer.normalize("/p/" + segment)).isEqualTo("/p/{token}");
		assertThat(this.normalizer.normalize("/p/" + "a".repeat(PathNormalizer.MAX_SEGMENT_LENGTH)))
			.isEqualTo("/p/" + "a".repeat(PathNormalizer.MAX_SEGMENT_LENGTH));
		assertThat(this.normalizer.normalize("/" + "9".repeat(1_000_000))).isEqualTo("/{id}");
	}

	@Test
	void notEveryNumberLikeSegmentIsAnId() {
		assertThat(this.normalizer.normalize("/v2/items")).isEqualTo("/v2/items");
		assertThat(this.normalizer.normalize("/short/abc123")).isEqualTo("/short/abc123");
		assertThat(this.normalizer.normalize("/hex/deadbeef")).isEqualTo("/hex/deadbeef");
		assertThat(this.normalizer.normalize("/not/a@b")).isEqualTo("/not/a@b");
		assertThat(this.normalizer.normalize("/not/2024-13")).isEqualTo("/not/2024-13");
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', textBlock = """
			/blobs/0123456789abcde                        | /blobs/0123456789abcde
			/blobs/0123456789abcdef                       | /blobs/{hash}
			/blobs/abcdefabcdefabcd                       | /blobs/abcdefabcdefabcd
			/keys/abc123def456ghi789j                     | /keys/abc123def456ghi789j
			/keys/abc123def456ghi789jk                    | /keys/{token}
			/reports/2024-01-3                            | /reports/2024-01-3
			/reports/2024-01-31x                          | /reports/{date}
			/users/@example.com                           | /users/@example.com
			/users/jane@example.                          | /users/jane@example.
			/users/jane@x.y                               | /users/{email}
			""")
	void segmentsAtTheLengthThresholds(String path, String expected) {
		assertThat(this.normalizer.normalize(path)).isEqualTo(expected);
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', textBlock = """
			/items/550e8400-e29b-41d4-a716-446655440000?x=1 | /items/{uuid}
			/items/550e8400-e29b-41d4-a716-446655440000#top | /items/{uuid}
			/items/550e8400-e29b-41d4-a716-446655440000;v=1 | /items/{uuid}
			/items/550e8400e-29b-41d4-a716-446655440000     | /items/{token}
			/items/550e8400-e29b-41d4-a7164-46655440000     | /items/{token}
			/items/550e8400-e29b-41d4-a716-4466-5544000     | /items/{token}
			/items/550e8400-e29b-41d4-a716-44665544000g     | /items/{token}
			/items/550e8400-e29b-41d4-a716-4466554400000    | /items/{token}
			/items/550e8400-e29b-41d4-a716-44665544000      | /items/{token}
			""")
	void onlyTheExactUuidShapeIsAUuid(String path, String expected) {
		assertThat(this.normalizer.normalize(path)).isEqualTo(expected);
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', textBlock = """
			/x\u00afy/123          | /x\u00afy/{id}
			/a\u00bfb/123          | /a\u00bfb/{id}
			/a\u00a3b\u00bbc/123  | /a\u00a3b\u00bbc/{id}
			/n/\u00b1\u00b2\u00b3  | /n/\u00b1\u00b2\u00b3
			/n/\u0130\u0131        | /n/\u0130\u0131
			/n/\u0661\u0662        | /n/\u0661\u0662
			/m/a\u00c0b.com        | /m/a\u00c0b.com
			""")
	void nonAsciiCharactersAreNeitherSeparatorsNorDigits(String path, String expected) {
		// Characters whose low 7 bits are '/', '?', '#', ';', a digit or '@'.
		assertThat(this.normalizer.normalize(path)).isEqualTo(expected);
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', textBlock = """
			//users                   | /users
			///a/b                     | /a/b
			/a//b/123                 | /a/b/{id}
			a//b/123                  | /a/b/{id}
			/users/123/orders/7       | /users/{id}/orders/{id}
			/1/2/3/4/5/6              | /{id}/{id}/{id}/{id}/{id}/...
			/users/123?next=/a/b/c    | /users/{id}
			/users?next=/123          | /users
			/users#/123               | /users
			/users/..;/admin          | /users/..
			""")
	void segmentsAfterTheFirstChangeAreStillNormalized(String path, String expected) {
		assertThat(this.normalizer.normalize(path)).isEqualTo(expected);
	}

	@Test
	void longPathsThatChangeAreCutAfterMaxSegments() {
		assertThat(this.normalizer.normalize("//x" + "/123".repeat(100_000))).isEqualTo("/x/{id}/{id}/{id}/{id}/...");
		assertThat(this.normalizer.normalize("/users/123" + "/".repeat(100_000) + "orders"))
			.isEqualTo("/users/{id}/orders");
		assertThat(this.normalizer.normalize("/x/" + "a".repeat(1_000_000) + "?q=" + "b".repeat(1_000_000)))
			.isEqualTo("/x/{token}");
	}

	@Test
	void customReplacementsLongerThanAnySegmentAreKeptWhole() {
		String replacement = "{" + "r".repeat(PathNormalizer.MAX_SEGMENT_LENGTH * 2) + "}";
		PathNormalizer custom = PathNormalizer.builder().rule("x+", replacement).maxSegments(2).build();
		assertThat(custom.normalize("/x/xx/xxx")).isEqualTo("/" + replacement + "/" + replacement + "/...");
	}

	@Test
	void customRulesRunFirstAndMatchWholeSegments() {
		PathNormalizer custom = PathNormalizer.builder()
			.rule("[a-z]{2}-[A-Z]{2}", "{locale}")
			.rule("\\d+", "{number}")
			.maxSegments(3)
			.build();
		assertThat(custom.normalize("/en-GB/users/123")).isEqualTo("/{locale}/users/{number}");
		assertThat(custom.normalize("/xen-GBx/users")).isEqualTo("/xen-GBx/users");
		assertThat(custom.normalize("/a/b/c/d")).isEqualTo("/a/b/c/...");
	}

	@Test
	void rejectsInvalidRulesWithAClearMessage() {
		assertThatIllegalArgumentException().isThrownBy(() -> PathNormalizer.builder().rule("([a-z", "{x}"))
			.withMessageContaining("Invalid normalization pattern '([a-z'");
		assertThatIllegalArgumentException().isThrownBy(() -> PathNormalizer.builder().rule("a", "x/y"))
			.withMessageContaining("no '/'");
		assertThatIllegalArgumentException().isThrownBy(() -> PathNormalizer.builder().maxSegments(0))
			.withMessageContaining("maxSegments must be at least 1, got 0");
	}

}
