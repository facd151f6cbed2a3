package dev.observability.core.tracing;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@code "{operation} {target}"} names of database and cache spans, kept so that a
 * repeated pair does not concatenate its name again on every call. A hit is two map
 * look-ups that allocate nothing.
 * <p>
 * Operations and targets come from code, so few pairs repeat; the cache still stops at
 * {@value #MAX_NAMES} names in case they do not (a table name built from a tenant, say),
 * and beyond that concatenates each time, as before the cache.
 */
final class OperationSpanNames {

	/** Maximum number of names kept. */
	static final int MAX_NAMES = 256;

	/** Names by operation, then by target: a look-up needs no key object. */
	private final Map<String, Map<String, String>> names = new ConcurrentHashMap<>();

	/** Written under the lock only; read without it to skip the lock once full. */
	private volatile int size;

	/**
	 * Returns the span name of an operation on a target.
	 * @param operation the operation, such as {@code SELECT}
	 * @param target the table, collection or cache; not empty
	 * @return {@code operation + " " + target}
	 */
	String of(String operation, String target) {
		Map<String, String> byTarget = this.names.get(operation);
		String name = (byTarget != null) ? byTarget.get(target) : null;
		if (name != null) {
			return name;
		}
		name = operation + " " + target;
		if (this.size < MAX_NAMES) {
			remember(operation, target, name);
		}
		return name;
	}

	/** The lock makes checking the size and adding one name a single step. */
	private synchronized void remember(String operation, String target, String name) {
		if (this.size >= MAX_NAMES) {
			return;
		}
		Map<String, String> byTarget = this.names.computeIfAbsent(operation, (key) -> new ConcurrentHashMap<>());
		if (byTarget.putIfAbsent(target, name) == null) {
			this.size = this.size + 1;
		}
	}

	/**
	 * Returns the number of names kept.
	 * @return at most {@value #MAX_NAMES}
	 */
	int size() {
		return this.size;
	}

}
