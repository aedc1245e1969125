package io.dragnet.sharing;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Where exported hits come from: the published hit documents of some topics over a range of days, each as a map
 * from ECS field name (dotted) to value, as the extraction job wrote it.
 */
public interface HitSource
{
    List<Map<String, Object>> read(Set<String> topics, LocalDate from, LocalDate to);
}
