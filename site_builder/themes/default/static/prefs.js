/* 读者的显示偏好：“大字”在页面绘制之前生效，并在各页面之间记住。 */
(function () {
  try {
    if (localStorage.getItem("sb-large-text") === "1") {
      document.documentElement.classList.add("large-text");
    }
  } catch (e) { /* storage refused (private mode): normal size */ }
})();
