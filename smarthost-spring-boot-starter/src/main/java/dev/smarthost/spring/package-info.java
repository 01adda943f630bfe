/**
 * Spring Boot auto-configuration: {@link dev.smarthost.spring.SmarthostAutoConfiguration}, its
 * {@link dev.smarthost.spring.SmarthostProperties}, the {@link
 * dev.smarthost.spring.SmarthostJavaMailSender}, the {@link
 * dev.smarthost.spring.SmarthostHealthIndicator} and the {@link
 * dev.smarthost.spring.MicrometerMailerListener}.
 */
@NullMarked
package dev.smarthost.spring;

import org.jspecify.annotations.NullMarked;
