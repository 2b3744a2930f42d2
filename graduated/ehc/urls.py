"""The LA's EHC case work, mounted at /ehc/: every page under la/<la_id>/."""

from django.urls import path

from graduated.ehc import figure_views, sen2_views, views

app_name = "ehc"
LA = "la/<int:la_id>/"
CASE = f"{LA}cases/<int:case_id>/"
urlpatterns = [
    path(f"{LA}inbox/", views.inbox, name="inbox"),
    path(f"{LA}requests/new/", views.new_request, name="new_request"),
    path(CASE, views.case_detail, name="case"),
    path(f"{CASE}decision/", views.decide_assessment, name="decide_assessment"),
    path(f"{CASE}advice/new/", views.request_advice, name="request_advice"),
    path(f"{CASE}advice/<int:advice_id>/received/", views.advice_received, name="advice_received"),
    path(f"{CASE}exceptions/new/", views.add_exception, name="add_exception"),
    path(f"{CASE}exceptions/<int:exception_id>/confirm/", views.confirm_exception, name="confirm_exception"),
    path(f"{CASE}withdraw/", views.withdraw_request, name="withdraw_request"),
    path(f"{CASE}assign/", views.assign_case, name="assign_case"),
    path(f"{CASE}not-to-issue/", views.decide_not_to_issue, name="not_to_issue"),
    path(f"{CASE}draft/", views.draft_plan, name="draft_plan"),
    path(f"{CASE}plan/", views.edit_plan, name="edit_plan"),
    path(f"{CASE}final/", views.final_plan, name="final_plan"),
    path(f"{CASE}letter.pdf", views.refusal_letter, name="refusal_letter"),
    path(f"{CASE}bundle.pdf", views.school_bundle, name="school_bundle"),
    path(f"{CASE}reviews/new/", figure_views.review_form, name="new_review"),
    path(f"{CASE}reviews/<int:review_id>/", figure_views.review_form, name="edit_review"),
    path(f"{LA}reviews/", figure_views.reviews_due, name="reviews_due"),
    path(f"{LA}timeliness/", figure_views.timeliness, name="timeliness"),
    path(f"{LA}sen2.csv", figure_views.sen2_export, name="sen2_export"),
    path(f"{LA}sen2/", sen2_views.sen2_check, name="sen2_check"),
    path(f"{LA}sen2/return.xml", sen2_views.sen2_xml, name="sen2_xml"),
    path(f"{LA}sen2/return-csv.zip", sen2_views.sen2_csv, name="sen2_csv"),
    path(f"{LA}sen2/build/", sen2_views.sen2_build, name="sen2_build"),
    path(f"{CASE}sen2-details/", sen2_views.sen2_details, name="sen2_details"),
    path(f"{CASE}placements/new/", sen2_views.placement_form, name="add_placement"),
    path(f"{CASE}placements/<int:placement_id>/", sen2_views.placement_form, name="edit_placement"),
]
