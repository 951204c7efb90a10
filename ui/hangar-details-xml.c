/* hangar-details-xml.c: the XML page: the whole definition as text
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * A monospace text view with the definition. Apply sends the text as it is: the
 * engine checks it, and when it refuses (InvalidConfig names the line of malformed
 * XML) the message shows under the text and the cursor goes to that line.
 */
#define G_LOG_DOMAIN "hangar"

#include "config.h"

#include <glib/gi18n.h>

#include "hangar-details-private.h"

typedef struct
{
  GtkTextView   *text_view;
  GtkTextBuffer *buffer;
} Xml;

static void
xml_build (HangarDetailsPage *page)
{
  Xml *xml = g_new0 (Xml, 1);
  GtkWidget *scrolled = gtk_scrolled_window_new ();
  GtkWidget *text_view = gtk_text_view_new ();

  hangar_details_page_set_data (page, xml, g_free);
  xml->text_view = GTK_TEXT_VIEW (text_view);
  xml->buffer = gtk_text_view_get_buffer (xml->text_view);
  gtk_text_view_set_monospace (xml->text_view, TRUE);
  gtk_text_view_set_wrap_mode (xml->text_view, GTK_WRAP_NONE);
  gtk_text_view_set_left_margin (xml->text_view, 12);
  gtk_text_view_set_right_margin (xml->text_view, 12);
  gtk_text_view_set_top_margin (xml->text_view, 12);
  gtk_text_view_set_bottom_margin (xml->text_view, 12);
  gtk_accessible_update_property (GTK_ACCESSIBLE (text_view),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Definition as XML"), -1);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), text_view);
  gtk_widget_set_vexpand (scrolled, TRUE);
  g_signal_connect_object (xml->buffer, "changed", G_CALLBACK (hangar_details_page_changed), page,
                           G_CONNECT_SWAPPED);
  hangar_details_page_set_content (page, scrolled);
}

static void
xml_load (HangarDetailsPage *page,
          xmlDoc            *doc,
          xmlNode           *node)
{
  Xml *xml = hangar_details_page_get_data (page);
  g_autofree char *text = hangar_domain_xml_to_string (doc);

  gtk_text_buffer_set_text (xml->buffer, text, -1);
}

static char *
xml_serialize (HangarDetailsPage *page)
{
  Xml *xml = hangar_details_page_get_data (page);
  GtkTextIter start;
  GtkTextIter end;

  gtk_text_buffer_get_bounds (xml->buffer, &start, &end);
  return gtk_text_buffer_get_text (xml->buffer, &start, &end, FALSE);
}

/* The engine names the line of malformed XML: the cursor goes there. */
static void
xml_failed (HangarDetailsPage *page,
            const char        *message)
{
  Xml *xml = hangar_details_page_get_data (page);
  int line = hangar_domain_xml_error_line (message);
  GtkTextIter iter;

  if (line <= 0)
    return;
  gtk_text_buffer_get_iter_at_line (xml->buffer, &iter, line - 1);
  gtk_text_buffer_place_cursor (xml->buffer, &iter);
  gtk_text_view_scroll_to_iter (xml->text_view, &iter, 0.1, FALSE, 0, 0);
  gtk_widget_grab_focus (GTK_WIDGET (xml->text_view));
}

const HangarDetailsEditor hangar_details_xml_editor = {
  .build = xml_build,
  .load = xml_load,
  .serialize = xml_serialize,
  .failed = xml_failed,
};
