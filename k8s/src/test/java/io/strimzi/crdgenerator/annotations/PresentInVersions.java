package io.strimzi.crdgenerator.annotations;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The annotation type Strimzi's model classes carry on properties that exist only in some API
 * versions ({@code v1alpha1-v1beta2}, {@code v1+}). Strimzi ships it in its crd-generator, which its
 * api jar depends on with scope provided, so without this declaration the JVM drops the annotations
 * it cannot resolve. Same name, retention and element as Strimzi's; StrictParsingTest fails if
 * the annotation stops being seen.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.FIELD})
public @interface PresentInVersions {
    String value();
}
